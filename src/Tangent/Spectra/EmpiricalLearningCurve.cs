using Tangent.Dynamics;
using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Spectra;

/// <summary>
/// A measured learning curve to set against <see cref="LearningCurveTheory"/>: from a kernel on M points with targets,
/// draw n training points at random (without replacement), fit kernel ridge regression (the t = ∞ limit of gradient
/// descent), and measure the squared error over all M points — the population the theory's expectation is over.
/// </summary>
public static class EmpiricalLearningCurve
{
    /// <summary>Mean and standard deviation over <paramref name="trials"/> draws of the test MSE at each size.</summary>
    /// <param name="kernel">K on M points, M x M.</param>
    /// <param name="y">Targets, M x O.</param>
    /// <param name="sizes">Training-set sizes, each in [1, M].</param>
    /// <param name="trials">Random draws per size.</param>
    /// <param name="ridge">λ added to each n x n Gram matrix (absolute, as in the theory).</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <param name="progress">Receives the fraction done.</param>
    public static IReadOnlyList<MeasuredPoint> Measure(Matrix<double> kernel, Matrix<double> y, IReadOnlyList<int> sizes, int trials, double ridge = 0, int seed = 0, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(sizes);
        int m = kernel.Rows, o = y.Cols;
        if (kernel.Cols != m || y.Rows != m) throw new KernelRequestException($"the kernel is {kernel.Rows}x{kernel.Cols} and the targets have {y.Rows} rows");
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), trials, "at least one trial");
        var rng = new Random(seed);
        var points = new List<MeasuredPoint>();
        var order = Enumerable.Range(0, m).ToArray();
        int done = 0;
        foreach (int n in sizes)
        {
            if (n < 1 || n > m) throw new KernelRequestException($"a training-set size of {n} is outside 1..{m}");
            var errors = new double[trials];
            for (int trial = 0; trial < trials; trial++)
            {
                rng.Shuffle(order);
                var chosen = order.AsSpan(0, n);
                var kn = new Matrix<double>(n, n);
                var kmn = new Matrix<double>(m, n);
                var yn = new Matrix<double>(n, o);
                for (int a = 0; a < n; a++)
                {
                    for (int b = 0; b < n; b++) kn[a, b] = kernel[chosen[a], chosen[b]];
                    y.Row(chosen[a]).CopyTo(yn.Row(a));
                }
                for (int i = 0; i < m; i++)
                    for (int b = 0; b < n; b++) kmn[i, b] = kernel[i, chosen[b]];
                var f = new GaussianProcessPosterior(kn, yn, DiagonalRegularization.Absolute(ridge)).Mean(kmn);
                double sum = 0;
                for (int i = 0; i < f.Data.Length; i++) { double d = f.Data[i] - y.Data[i]; sum += d * d; }
                errors[trial] = sum / f.Data.Length;
                progress?.Report((double)++done / (sizes.Count * trials));
            }
            double mean = errors.Average();
            double sd = trials > 1 ? Math.Sqrt(errors.Sum(e => (e - mean) * (e - mean)) / (trials - 1)) : 0;
            points.Add(new MeasuredPoint(n, mean, sd));
        }
        return points;
    }
}

/// <summary>One measured point of a learning curve.</summary>
/// <param name="Samples">n.</param>
/// <param name="TestError">Mean squared error over the population, averaged over trials.</param>
/// <param name="StandardDeviation">Across trials.</param>
public sealed record MeasuredPoint(int Samples, double TestError, double StandardDeviation);
