namespace Tangent.Experiments;

/// <summary>What the report shows of one seed at the largest n: learning curves, kernel movement and spectra.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="TrainSize">n.</param>
/// <param name="Network">The network's losses along training.</param>
/// <param name="Linearised">The linearisation's losses along training (null without that arm).</param>
/// <param name="KernelTestLoss">Test MSE (½·mean, as the curves) of the NTK and NNGP regressions, model → value.</param>
/// <param name="Movement">The network's kernel movement along training.</param>
/// <param name="Spectra">Eigenvalues on the training set, largest first and divided by the trace: model → values (analytic NTK, empirical NTK at initialisation, after training).</param>
/// <param name="TargetPower">Per eigenvector of each kernel, the cumulative fraction of the centred targets' energy in the top k eigenvectors: model → values.</param>
public sealed record FalsifierDiagnostics(ulong Seed, int TrainSize, LossCurve? Network, LossCurve? Linearised, IReadOnlyDictionary<string, double> KernelTestLoss,
    KernelMovementCurve? Movement, IReadOnlyDictionary<string, double[]> Spectra, IReadOnlyDictionary<string, double[]> TargetPower);

/// <summary>Everything one falsifier run measured, and its verdicts.</summary>
public sealed class FalsifierResult
{
    /// <summary>The experiment as run.</summary>
    public required Experiment Experiment { get; init; }
    /// <summary>The task's description.</summary>
    public required string Task { get; init; }
    /// <summary>What the targets are.</summary>
    public required TargetKind Targets { get; init; }
    /// <summary>The architecture, in text form.</summary>
    public required string Architecture { get; init; }
    /// <summary>The models, network first: <c>network</c>, <c>linearised</c> (if trained), <c>ntk</c>, <c>nngp</c>.</summary>
    public required IReadOnlyList<string> Models { get; init; }
    /// <summary>The seeds.</summary>
    public required IReadOnlyList<ulong> Seeds { get; init; }
    /// <summary>The training-set sizes.</summary>
    public required IReadOnlyList<int> TrainSizes { get; init; }
    /// <summary>Test accuracy per model, [seed, n]; null for regression tasks.</summary>
    public IReadOnlyDictionary<string, double[,]>? Accuracy { get; init; }
    /// <summary>Relative test MSE per model, [seed, n].</summary>
    public required IReadOnlyDictionary<string, double[,]> RelativeMse { get; init; }
    /// <summary>Kernel–target alignment per model and seed at the largest n, when measured.</summary>
    public IReadOnlyDictionary<string, double[]>? Alignment { get; init; }
    /// <summary>Captured fraction per model, [seed, frequency] at the largest n, for the spectral-bias measure.</summary>
    public IReadOnlyDictionary<string, double[,]>? Captured { get; init; }
    /// <summary>The frequencies of <see cref="Captured"/>.</summary>
    public IReadOnlyList<int>? Frequencies { get; init; }
    /// <summary>One verdict per metric, in the experiment's order (the first is the primary).</summary>
    public required IReadOnlyList<MetricVerdict> Verdicts { get; init; }
    /// <summary>Curves and spectra of the first seed at the largest n.</summary>
    public FalsifierDiagnostics? Diagnostics { get; init; }
    /// <summary>Wall-clock seconds of the run.</summary>
    public double Seconds { get; init; }

    /// <summary>The experiment's verdict: that of its primary (first) metric.</summary>
    public MetricVerdict Primary => Verdicts[0];

    /// <summary>The per-seed learning curve measure: accuracy for classification and ±1 tasks, relative test MSE otherwise.</summary>
    public IReadOnlyDictionary<string, double[,]> CurveMeasure => Accuracy ?? RelativeMse;

    /// <summary>Whether <see cref="CurveMeasure"/> is an accuracy (higher is better).</summary>
    public bool CurveIsAccuracy => Accuracy is not null;
}
