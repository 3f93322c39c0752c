using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Dynamics;

/// <summary>
/// Kernel ridge regression, the t = ∞ limit of gradient descent on MSE from zero initial output:
/// f(x*) = K(x*, X) (K(X, X) + λ I)⁻¹ Y, solved by Cholesky.
/// </summary>
public static class KernelRegression
{
    /// <summary>
    /// Predictions at the test points. <paramref name="relativeRidge"/> adds λ = ridge · trace(K)/N to the diagonal
    /// (the convention of neural-tangents' diag_reg). Throws <see cref="KernelRequestException"/> when K + λI is not
    /// positive definite, saying what to do.
    /// </summary>
    public static Matrix<double> Predict(Matrix<double> kTrainTrain, Matrix<double> yTrain, Matrix<double> kTestTrain, double relativeRidge = 0)
        => new GaussianProcessPosterior(kTrainTrain, yTrain, DiagonalRegularization.Relative(relativeRidge)).Mean(kTestTrain);
}
