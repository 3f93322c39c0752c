using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Dynamics;

/// <summary>
/// Exact Gaussian-process regression with a kernel as the prior covariance (neural-tangents' <c>gp_inference</c>):
/// with the NNGP it is Bayesian inference in an infinitely wide network (Lee et al. 2018), with the NTK the "NTK-GP"
/// (He, Lakshminarayanan and Teh 2020). For observation noise σ² (the diagonal regularisation):
/// <code>
///   mean(x*) = K(x*, X) (K + σ² I)⁻¹ y
///   cov      = K(x*, x*) − K(x*, X) (K + σ² I)⁻¹ K(X, x*)
/// </code>
/// One Cholesky factorisation, cached. Each output column is an independent GP with the same kernel.
/// </summary>
public sealed class GaussianProcessPosterior
{
    private readonly Matrix<double> _y;
    private readonly KernelFactor _factor;
    private readonly Matrix<double> _alpha;

    /// <summary>Factorises K(X, X) + σ² I.</summary>
    /// <exception cref="KernelRequestException">Shapes disagree, or the (noisy) kernel is not positive definite.</exception>
    public GaussianProcessPosterior(Matrix<double> kTrainTrain, Matrix<double> yTrain, DiagonalRegularization noise = default)
    {
        KernelValidation.TrainKernel(kTrainTrain, "the train-train kernel");
        int n = kTrainTrain.Rows;
        KernelValidation.Shape(yTrain, n, yTrain.Cols, "the training targets", $"one row per training point of the {n}x{n} kernel");
        NoiseVariance = noise.AmountFor(kTrainTrain.Data, n);
        _factor = KernelFactor.Compute(noise.AppliedTo(kTrainTrain), noise.IsZero ? "the train-train kernel" : "the train-train kernel plus its noise");
        _y = yTrain;
        _alpha = _factor.Solve(yTrain);
    }

    /// <summary>Training points N.</summary>
    public int TrainCount => _y.Rows;

    /// <summary>The observation noise variance σ² added to the diagonal.</summary>
    public double NoiseVariance { get; }

    /// <summary>(K + σ² I)⁻¹ y, N x O: the dual coefficients of the posterior mean.</summary>
    public Matrix<double> DualCoefficients => _alpha;

    /// <summary>Posterior mean at the test points, M x O.</summary>
    public Matrix<double> Mean(Matrix<double> kTestTrain)
    {
        int m = KernelValidation.Columns(kTestTrain, TrainCount, "the test-train kernel", "one column per training point");
        var mean = new Matrix<double>(m, _y.Cols);
        LinearAlgebra.Current.GemmNN(m, _y.Cols, TrainCount, 1.0, kTestTrain.Data, _alpha.Data, 0.0, mean.Data);
        return mean;
    }

    /// <summary>Posterior covariance of the test points, M x M (the same for every output column).</summary>
    public Matrix<double> Covariance(Matrix<double> kTestTrain, Matrix<double> kTestTest)
    {
        int m = KernelValidation.Columns(kTestTrain, TrainCount, "the test-train kernel", "one column per training point");
        KernelValidation.Shape(kTestTest, m, m, "the test-test kernel", "one row and column per test point");
        var solved = _factor.SolveTransposed(kTestTrain);          // (K + σ²I)⁻¹ K(X, x*), N x M
        var cov = kTestTest.Clone();
        LinearAlgebra.Current.GemmNN(m, m, TrainCount, -1.0, kTestTrain.Data, solved.Data, 1.0, cov.Data);
        for (int i = 0; i < m; i++)
            for (int k = i + 1; k < m; k++)
            {
                double v = 0.5 * (cov[i, k] + cov[k, i]);
                cov[i, k] = v;
                cov[k, i] = v;
            }
        return cov;
    }

    /// <summary>
    /// log p(y | X) = Σ over outputs of −½ yᵀ (K + σ² I)⁻¹ y − ½ log det(K + σ² I) − (N/2) log 2π (Rasmussen and
    /// Williams 2006, eq. 2.30): the evidence used to choose kernels and noise.
    /// </summary>
    public double LogMarginalLikelihood()
    {
        int n = TrainCount, o = _y.Cols;
        double fit = System.Numerics.Tensors.TensorPrimitives.Dot<double>(_y.Data, _alpha.Data);
        return -0.5 * fit - 0.5 * o * _factor.LogDeterminant - 0.5 * n * o * Math.Log(2 * Math.PI);
    }
}
