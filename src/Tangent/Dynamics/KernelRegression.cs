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
    {
        int n = kTrainTrain.Rows;
        if (kTrainTrain.Cols != n) throw new KernelRequestException($"the train-train kernel must be square, got {n}x{kTrainTrain.Cols}");
        if (yTrain.Rows != n) throw new KernelRequestException($"the targets have {yTrain.Rows} rows but the kernel has {n}");
        if (kTestTrain.Cols != n) throw new KernelRequestException($"the test-train kernel has {kTestTrain.Cols} columns but there are {n} training points");
        var l = (double[])kTrainTrain.Data.Clone();
        double trace = 0;
        for (int i = 0; i < n; i++) trace += l[i * n + i];
        double ridge = relativeRidge * trace / n;
        for (int i = 0; i < n; i++) l[i * n + i] += ridge;
        var la = LinearAlgebra.Current;
        if (!la.TryCholesky(n, l))
            throw new KernelRequestException($"the training kernel{(ridge > 0 ? " plus its ridge" : "")} is not positive definite (singular or indefinite to working precision); add diagonal regularisation, e.g. --diag-reg 1e-6");
        var alpha = (double[])yTrain.Data.Clone();
        la.CholeskySolve(n, l, yTrain.Cols, alpha);
        var result = new Matrix<double>(kTestTrain.Rows, yTrain.Cols);
        la.GemmNN(kTestTrain.Rows, yTrain.Cols, n, 1.0, kTestTrain.Data, alpha, 0.0, result.Data);
        return result;
    }
}
