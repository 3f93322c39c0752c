using Tangent.Dynamics;
using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Spectra;

/// <summary>
/// The per-mode view of training with MSE from f₀ = 0: the residual along mode k decays like exp(−a λ_k t) with
/// a = η/(N·O), so the training error is a sum of exponentials whose rates are the eigenvalues, and the test outputs
/// are K(x*, X) V diag((1 − e^{−aλt})/λ) Vᵀ y. Predicted from one eigendecomposition, for many times at once.
/// </summary>
/// <remarks>
/// <c>shift</c> is the absolute diagonal regularisation the dynamics add to K (eigenvalues λ + shift, same
/// eigenvectors), so a spectrum of the plain kernel serves regularised dynamics too.
/// </remarks>
public static class LossCurves
{
    /// <summary>
    /// |residual| along each of <paramref name="modes"/> (mode 0 = largest eigenvalue) at each time: ‖p_k‖ exp(−a λ_k t).
    /// Rows are times, columns the listed modes.
    /// </summary>
    public static Matrix<double> ResidualPerMode(KernelSpectrum spectrum, TargetProjection targets, IReadOnlyList<double> times, double learningRate, IReadOnlyList<int> modes, double shift = 0)
    {
        double a = Rate(spectrum, targets, learningRate);
        var result = new Matrix<double>(times.Count, modes.Count);
        for (int j = 0; j < times.Count; j++)
            for (int q = 0; q < modes.Count; q++)
            {
                int k = modes[q];
                result[j, q] = Math.Sqrt(targets.Power[k]) * Math.Exp(-a * (spectrum.Eigenvalues[k] + shift) * times[j]);
            }
        return result;
    }

    /// <summary>
    /// Training MSE (mean over N·O of the squared residual, without the ½ of the loss) at each time:
    /// Σ_k ‖p_k‖² exp(−2 a λ_k t) / (N·O).
    /// </summary>
    public static double[] TrainError(KernelSpectrum spectrum, TargetProjection targets, IReadOnlyList<double> times, double learningRate, double shift = 0)
    {
        int n = spectrum.Size;
        double a = Rate(spectrum, targets, learningRate);
        var result = new double[times.Count];
        for (int j = 0; j < times.Count; j++)
        {
            double sum = 0;
            for (int k = 0; k < n; k++) sum += targets.Power[k] * Math.Exp(-2 * a * (spectrum.Eigenvalues[k] + shift) * times[j]);
            result[j] = sum / ((double)n * targets.Outputs);
        }
        return result;
    }

    /// <summary>
    /// Test MSE (mean over M·O of (f_t(x*) − y*)²) at each time: the coefficients c_k(t) p_k for all times sit side by
    /// side in one N x (T·O) matrix, mapped to the test points by one product with K(x*, X) V.
    /// </summary>
    public static double[] TestError(KernelSpectrum spectrum, TargetProjection targets, IReadOnlyList<double> times, double learningRate,
        Matrix<double> kTestTrain, Matrix<double> yTest, double shift = 0)
    {
        ArgumentNullException.ThrowIfNull(kTestTrain);
        ArgumentNullException.ThrowIfNull(yTest);
        int n = spectrum.Size, o = targets.Outputs, m = kTestTrain.Rows, t = times.Count, width = t * o;
        if (kTestTrain.Cols != n) throw new KernelRequestException($"the test-train kernel has {kTestTrain.Cols} columns but there are {n} training points");
        if (yTest.Rows != m || yTest.Cols != o) throw new KernelRequestException($"the test targets are {yTest.Rows}x{yTest.Cols} but must be {m}x{o} (one row per row of the test-train kernel, one column per output)");
        double a = Rate(spectrum, targets, learningRate);
        // Training targets' coefficients are −p (residual of f₀ = 0 is −y), so f_t(x*) = K(x*, X) V diag(c) p.
        var scaled = new Matrix<double>(n, width);
        for (int k = 0; k < n; k++)
        {
            double lambda = spectrum.Eigenvalues[k] + shift;
            var p = targets.Coefficients.Row(k);
            var row = scaled.Row(k);
            for (int j = 0; j < t; j++)
            {
                double c = double.IsPositiveInfinity(times[j]) ? 1 / lambda : ModeFilter.Flow(lambda, a, times[j]).C;
                for (int q = 0; q < o; q++) row[j * o + q] = c * p[q];
            }
        }
        // V is stored ascending: mode k is column N − 1 − k. Reverse the rows of the coefficients instead of V.
        var ascending = new Matrix<double>(n, width);
        for (int k = 0; k < n; k++) scaled.Row(k).CopyTo(ascending.Row(n - 1 - k));
        var dual = spectrum.Basis.FromEigenbasis(ascending);
        var f = new double[m * width];
        LinearAlgebra.Current.GemmNN(m, width, n, 1.0, kTestTrain.Data, dual.Data, 0.0, f);
        var result = new double[t];
        for (int j = 0; j < t; j++)
        {
            double sum = 0;
            for (int i = 0; i < m; i++)
                for (int q = 0; q < o; q++)
                {
                    double d = f[i * width + j * o + q] - yTest[i, q];
                    sum += d * d;
                }
            result[j] = sum / ((double)m * o);
        }
        return result;
    }

    /// <summary>
    /// <paramref name="count"/> log-spaced times from when the fastest mode has barely moved (0.01 / (a λ_max)) to when
    /// the slowest significant one has converged (10 / (a λ), λ the smallest eigenvalue above 1e-10 λ_max).
    /// </summary>
    public static double[] DefaultTimes(KernelSpectrum spectrum, double learningRate, int outputs, int count = 64, double shift = 0)
    {
        double a = learningRate / ((double)spectrum.Size * outputs);
        double largest = Math.Max(spectrum.Largest + shift, double.Epsilon);
        double slowest = largest;
        foreach (double l in spectrum.Eigenvalues) if (l + shift > 1e-10 * largest) slowest = l + shift;
        double from = 0.01 / (a * largest), to = 10 / (a * slowest);
        var times = new double[count];
        for (int j = 0; j < count; j++) times[j] = from * Math.Pow(to / from, count == 1 ? 0 : (double)j / (count - 1));
        return times;
    }

    private static double Rate(KernelSpectrum spectrum, TargetProjection targets, double learningRate)
    {
        if (!(learningRate > 0)) throw new KernelRequestException($"the learning rate must be positive, got {learningRate}");
        if (targets.Coefficients.Rows != spectrum.Size) throw new KernelRequestException("the targets were projected on another spectrum");
        return learningRate / ((double)spectrum.Size * targets.Outputs);
    }
}
