using System.Numerics;
using Tangent.Linalg;
using Tangent.Networks;

namespace Tangent.Training;

/// <summary>
/// What a <see cref="Trainer{T}"/> trains: a model g(x; θ) with named parameter tensors, outputs for a batch, and the
/// gradient of Σ_i ⟨c_i, g(x_i)⟩ for cotangents c. Implemented by <see cref="NetworkModel{T}"/> (the network itself) and
/// <see cref="LinearizedModel{T}"/> (its first-order Taylor expansion at θ₀).
/// </summary>
public interface ITrainableModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Short name for reports ("network", "linearized").</summary>
    string Name { get; }

    /// <summary>Outputs per example.</summary>
    int OutputCount { get; }

    /// <summary>
    /// The output scale α of Chizat, Oyallon &amp; Bach (2019) when the model is α·(f_θ − f_θ₀), else null (the model is
    /// f_θ). A trainer divides its learning rate by α² when it is set.
    /// </summary>
    double? OutputScale { get; }

    /// <summary>The trained tensors, in the network's spec order (with the network's names and scales).</summary>
    IReadOnlyList<ParameterTensor<T>> Parameters { get; }

    /// <summary>The gradients of the latest <see cref="Backward"/>, aligned with <see cref="Parameters"/>.</summary>
    IReadOnlyList<T[]> Gradients { get; }

    /// <summary>The model's outputs for the rows of <paramref name="x"/> (n x O); changes no parameter.</summary>
    Matrix<T> Predict(Matrix<T> x);

    /// <summary>The outputs for a batch, keeping what the next <see cref="Backward"/> on the same batch needs.</summary>
    Matrix<T> Forward(Matrix<T> batch);

    /// <summary>
    /// Overwrites <see cref="Gradients"/> with the gradient of Σ_i ⟨<paramref name="cotangents"/>_i, g(x_i)⟩ at the current
    /// parameters, for the batch of the latest <see cref="Forward"/>.
    /// </summary>
    void Backward(Matrix<T> batch, Matrix<T> cotangents);
}
