using System.Numerics;
using System.Numerics.Tensors;
using Tangent.Linalg;
using Tangent.Networks;

namespace Tangent.Training;

/// <summary>
/// The linearisation of a finite network at θ₀: f_lin(x; θ) = f(x; θ₀) + J₀(x)·(θ − θ₀) (Lee et al. 2019), or with an output
/// scale α, α·J₀(x)·(θ − θ₀). Outputs come from Jacobian–vector products and gradients J₀(x)ᵀc from the backward pass of a
/// frozen copy of the network at θ₀, so J₀ is never formed. Trained with the same optimiser as the network, its MSE
/// gradient-descent trajectory is the closed-form kernel dynamics with the empirical NTK at θ₀.
/// </summary>
public sealed class LinearizedModel<T> : ITrainableModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ParameterTensor<T>[] _parameters;
    private readonly T[][] _gradientList;
    private readonly T[][] _delta;
    private readonly ParameterGradients<T> _gradients;
    private readonly JacobianVectorProduct<T> _jvp;

    /// <summary>Linearises <paramref name="network"/> at its current parameters (copied: later changes to it do not matter).</summary>
    public LinearizedModel(FiniteNetwork<T> network, double? outputScale = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (outputScale is { } a && (!(a > 0) || !double.IsFinite(a))) throw new ArgumentException($"the output scale α must be positive and finite, got {a}");
        Initial = NetworkCopy.Clone(network);
        OutputScale = outputScale;
        _parameters = Initial.Parameters.Select(p =>
        {
            var copy = new ParameterTensor<T>(p.Name, (int[])p.Shape.Clone(), p.Scale, p.Layout);
            p.Values.CopyTo(copy.Values, 0);
            return copy;
        }).ToArray();
        _gradients = new ParameterGradients<T>(Initial);
        _gradientList = Initial.Parameters.Select(p => _gradients[p]).ToArray();
        _delta = _parameters.Select(p => new T[p.Values.Length]).ToArray();
        _jvp = new JacobianVectorProduct<T>(Initial);
    }

    /// <summary>The frozen network at θ₀ (do not train it).</summary>
    public FiniteNetwork<T> Initial { get; }

    /// <summary>True when J·v is exact forward-mode; false when the finite-difference fallback is used (see <see cref="JacobianVectorProduct{T}"/>).</summary>
    public bool IsExact => _jvp.IsExact;

    /// <inheritdoc />
    public string Name => "linearized";
    /// <inheritdoc />
    public int OutputCount => Initial.OutputCount;
    /// <inheritdoc />
    public double? OutputScale { get; }
    /// <inheritdoc />
    public IReadOnlyList<ParameterTensor<T>> Parameters => _parameters;
    /// <inheritdoc />
    public IReadOnlyList<T[]> Gradients => _gradientList;

    /// <summary>θ − θ₀, aligned with <see cref="Parameters"/> (recomputed by every prediction).</summary>
    public IReadOnlyList<T[]> Displacement
    {
        get { UpdateDelta(); return _delta; }
    }

    /// <inheritdoc />
    public Matrix<T> Predict(Matrix<T> x)
    {
        UpdateDelta();
        var g = _jvp.Compute(x, _delta);
        if (OutputScale is { } alpha) TensorPrimitives.Multiply<T>(g.Data, T.CreateTruncating(alpha), g.Data);
        else TensorPrimitives.Add<T>(g.Data, Initial.Forward(x).Data, g.Data);
        return g;
    }

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> batch) => Predict(batch);

    /// <inheritdoc />
    public void Backward(Matrix<T> batch, Matrix<T> cotangents)
    {
        _gradients.Clear();
        var dy = cotangents.Data;
        if (OutputScale is { } alpha)
        {
            dy = new T[dy.Length];
            TensorPrimitives.Multiply<T>(cotangents.Data, T.CreateTruncating(alpha), dy);
        }
        // The JVP pass overwrote layer caches; a fresh forward pass at θ₀ restores what the backward pass reads.
        var y0 = Initial.Forward(batch);
        Initial.Backward(batch.Data, y0.Data, dy, batch.Rows, 1, _gradients);
    }

    private void UpdateDelta()
    {
        for (int i = 0; i < _parameters.Length; i++)
            TensorPrimitives.Subtract<T>(_parameters[i].Values, Initial.Parameters[i].Values, _delta[i]);
    }
}
