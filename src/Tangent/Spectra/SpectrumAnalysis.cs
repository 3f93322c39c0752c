using Tangent.Dynamics;
using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Spectra;

/// <summary>What <see cref="SpectrumAnalysis.Run"/> computes beyond the eigenvalues.</summary>
public sealed class SpectrumOptions
{
    /// <summary>Targets on the kernel's points, N x O: enables projections, alignment, loss and learning curves.</summary>
    public Matrix<double>? Targets { get; init; }

    /// <summary>K(x*, X), M x N, with <see cref="TestTargets"/>: enables the predicted test-error curve.</summary>
    public Matrix<double>? TestTrainKernel { get; init; }

    /// <summary>Targets of the test points, M x O.</summary>
    public Matrix<double>? TestTargets { get; init; }

    /// <summary>A second kernel on the same points, for centred kernel alignment.</summary>
    public Matrix<double>? CompareKernel { get; init; }

    /// <summary>η of the dynamics (default 1).</summary>
    public double LearningRate { get; init; } = 1.0;

    /// <summary>Regularisation the dynamics add to K (relative by default).</summary>
    public DiagonalRegularization Regularization { get; init; }

    /// <summary>Ridge λ of the learning-curve theory and experiment (absolute, on the n x n Gram matrix).</summary>
    public double Ridge { get; init; }

    /// <summary>Label noise variance σ² of the learning-curve theory.</summary>
    public double NoiseVariance { get; init; }

    /// <summary>Random draws per size of the measured learning curve; 0 to skip the measurement.</summary>
    public int Trials { get; init; } = 5;

    /// <summary>Number of modes whose residual over time is reported (largest first).</summary>
    public int ModesShown { get; init; } = 8;

    /// <summary>Seed of the learning-curve draws.</summary>
    public int Seed { get; init; }

    /// <summary>Receives the fraction done.</summary>
    public IProgress<double>? Progress { get; init; }
}

/// <summary>
/// The spectral picture of a kernel in one call: the eigendecomposition and everything derived from it, as a
/// <see cref="SpectrumReport"/> (what <c>tangent spectrum</c> writes).
/// </summary>
public static class SpectrumAnalysis
{
    /// <summary>Analyses <paramref name="kernel"/> (N x N, symmetric PSD).</summary>
    /// <exception cref="KernelRequestException">Bad shapes, or a kernel that is not PSD.</exception>
    public static SpectrumReport Run(Matrix<double> kernel, SpectrumOptions? options = null)
    {
        options ??= new SpectrumOptions();
        var spectrum = KernelSpectrum.Compute(kernel);
        options.Progress?.Report(0.3);
        int n = spectrum.Size;
        var y = options.Targets;
        if (y is not null && y.Rows != n) throw new KernelRequestException($"the targets have {y.Rows} rows but the kernel is {n}x{n}");
        int outputs = y?.Cols ?? 1;
        double shift = options.Regularization.AmountFor(kernel.Data, n);
        var report = new SpectrumReport
        {
            Size = n,
            Eigenvalues = spectrum.Eigenvalues.ToArray(),
            Trace = spectrum.Trace,
            Largest = spectrum.Largest,
            Smallest = spectrum.Smallest,
            ConditionNumber = spectrum.ConditionNumber,
            ParticipationRatio = spectrum.ParticipationRatio,
            EntropyEffectiveRank = spectrum.EntropyEffectiveRank,
            LearningRate = options.LearningRate,
            RegularizationAmount = shift,
            MaxLearningRate = MaxLearningRate.FromLargestEigenvalue(spectrum.Largest + shift, n * outputs),
            Convergence = new ConvergenceBound(spectrum.Smallest + shift, spectrum.Largest + shift, options.LearningRate, n * outputs),
            CenteredAlignmentWithCompare = options.CompareKernel is { } other ? KernelAlignment.Centered(kernel, other) : null,
        };
        if (y is null) return report;

        var targets = TargetProjection.Compute(spectrum, y);
        report.Outputs = outputs;
        report.TargetPower = targets.Power.ToArray();
        report.CumulativeTargetPower = targets.CumulativePowerFraction.ToArray();
        report.KernelTargetAlignment = KernelAlignment.WithTargets(kernel, y);
        report.CenteredKernelTargetAlignment = KernelAlignment.CenteredWithTargets(kernel, y);

        var times = LossCurves.DefaultTimes(spectrum, options.LearningRate, outputs, shift: shift);
        var modes = Enumerable.Range(0, Math.Min(options.ModesShown, n)).ToArray();
        report.Times = times;
        report.Modes = modes;
        report.ResidualPerMode = LossCurves.ResidualPerMode(spectrum, targets, times, options.LearningRate, modes, shift);
        report.TrainError = LossCurves.TrainError(spectrum, targets, times, options.LearningRate, shift);
        if (options.TestTrainKernel is not null)
        {
            if (options.TestTargets is null) throw new KernelRequestException("a test-train kernel was given without test targets");
            report.TestError = LossCurves.TestError(spectrum, targets, times, options.LearningRate, options.TestTrainKernel, options.TestTargets, shift);
        }
        options.Progress?.Report(0.4);

        var theory = LearningCurveTheory.FromKernel(spectrum, targets, options.Ridge, options.NoiseVariance);
        report.LearningCurve = TheoryGrid(n).Select(theory.Predict).ToArray();
        if (options.Trials > 0)
        {
            var sizes = MeasuredSizes(n);
            var progress = options.Progress is null ? null : new Progress<double>(f => options.Progress.Report(0.4 + 0.6 * f));
            report.MeasuredLearningCurve = EmpiricalLearningCurve.Measure(kernel, y, sizes, options.Trials, options.Ridge, options.Seed, progress).ToArray();
            report.PredictedAtMeasuredSizes = sizes.Select(s => theory.Predict(s).TestError).ToArray();
        }
        return report;
    }

    /// <summary>About 40 log-spaced sample sizes from 1 to M.</summary>
    internal static double[] TheoryGrid(int m) =>
        Enumerable.Range(0, 41).Select(j => Math.Pow(m, j / 40.0)).ToArray();

    /// <summary>Whole sizes, log-spaced, from 2 up to M/2 (beyond that, drawing without replacement from M points is far from sampling the distribution).</summary>
    internal static int[] MeasuredSizes(int m)
    {
        int top = Math.Max(1, m / 2);
        return Enumerable.Range(0, 10).Select(j => (int)Math.Round(Math.Pow(top, j / 9.0))).Where(s => s >= 2 || top < 2).Distinct().ToArray();
    }
}
