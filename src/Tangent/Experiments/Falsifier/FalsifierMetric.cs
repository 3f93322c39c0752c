namespace Tangent.Experiments;

/// <summary>What the falsifier measures on each of the models.</summary>
public enum FalsifierMetric
{
    /// <summary>Fraction of test examples classified correctly (argmax over outputs; the sign for one ±1 output), at the largest n.</summary>
    TestAccuracy,
    /// <summary>Relative test MSE, mean squared error divided by the test targets' variance (0 perfect, 1 as good as predicting the mean), at the largest n.</summary>
    TestLoss,
    /// <summary>
    /// The learning curve over the training-set sizes: the primary measure (accuracy for classification and ±1 tasks, relative
    /// test MSE otherwise) at every n, summarised per seed by its mean over the n grid (the normalised area under the curve).
    /// </summary>
    SampleEfficiency,
    /// <summary>
    /// Centred kernel–target alignment of each model's tangent kernel on the training set at the largest n: the trained
    /// network's empirical NTK, the linearisation's (the initial empirical NTK), and the analytic NTK and NNGP.
    /// </summary>
    KernelAlignment,
    /// <summary>
    /// Spectral bias (task <c>spectral-bias</c> only): the fraction of each frequency component of the target the model
    /// captured on the test circle, 1 − ‖P_k(f − y)‖² / ‖P_k y‖²; summarised by its mean over the frequencies.
    /// </summary>
    SpectralBias,
}

/// <summary>Names, orientation and default margins of <see cref="FalsifierMetric"/>.</summary>
public static class FalsifierMetrics
{
    /// <summary>Every metric with its command-line name.</summary>
    public static readonly IReadOnlyList<(string Name, FalsifierMetric Metric)> All =
    [
        ("test-accuracy", FalsifierMetric.TestAccuracy),
        ("test-loss", FalsifierMetric.TestLoss),
        ("sample-efficiency", FalsifierMetric.SampleEfficiency),
        ("kernel-alignment", FalsifierMetric.KernelAlignment),
        ("spectral-bias", FalsifierMetric.SpectralBias),
    ];

    /// <summary>The command-line name (<c>test-accuracy</c>, ...).</summary>
    public static string Name(this FalsifierMetric metric) => All.First(m => m.Metric == metric).Name;

    /// <summary>Parses a name; throws <see cref="ExperimentException"/> listing the known ones.</summary>
    public static FalsifierMetric Parse(string name, string where)
    {
        foreach (var (n, m) in All)
            if (string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase)) return m;
        throw new ExperimentException($"{where}: unknown metric '{name}'; known: {string.Join(", ", All.Select(m => m.Name))}");
    }
}
