using System.Globalization;
using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Dynamics;

/// <summary>
/// The largest learning rate for which gradient descent on ½·mean-squared-error converges for a kernel (neural-tangents'
/// <c>max_learning_rate</c>): each eigenmode contracts by 1 − η λ / (N·O) per step, which stays below 1 in magnitude for
/// every mode iff η &lt; 2 N·O / λ_max. Heavy-ball momentum μ widens the interval to η &lt; 2 (1 + μ) N·O / λ_max
/// (the roots of z² − (1 + μ − q) z + μ lie in the unit disc iff 0 &lt; q &lt; 2 (1 + μ)).
/// </summary>
public static class MaxLearningRate
{
    /// <summary>From the NTK of the training set and the number of training targets N·O.</summary>
    /// <exception cref="KernelRequestException">The kernel is not square, symmetric and finite, or its largest eigenvalue is not positive.</exception>
    public static double Compute(Matrix<double> ntkTrainTrain, int yTrainSize, double momentum = 0)
    {
        KernelValidation.TrainKernel(ntkTrainTrain, "the train-train NTK");
        int n = ntkTrainTrain.Rows;
        var work = ntkTrainTrain.Clone();
        var values = new double[n];
        LinearAlgebra.Current.SymmetricEigen(n, work.Data, values);
        return FromLargestEigenvalue(values[^1], yTrainSize, momentum);
    }

    /// <summary>2 (1 + μ) · size / λ_max.</summary>
    public static double FromLargestEigenvalue(double largestEigenvalue, int yTrainSize, double momentum = 0)
    {
        if (!(largestEigenvalue > 0))
            throw new KernelRequestException(string.Create(CultureInfo.InvariantCulture, $"the kernel's largest eigenvalue is {largestEigenvalue:G4}; a learning rate bound needs a positive one"));
        if (yTrainSize <= 0) throw new ArgumentOutOfRangeException(nameof(yTrainSize), yTrainSize, "the number of training targets must be positive");
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1)");
        return 2 * (1 + momentum) * yTrainSize / largestEigenvalue;
    }
}
