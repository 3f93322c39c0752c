namespace Tangent.Experiments;

/// <summary>Which side of the kernel boundary a measured phenomenon lives on.</summary>
public enum Verdict
{
    /// <summary>The trained network and the infinite-width kernel agree within the margin, with confidence: frozen features explain it.</summary>
    ExplainedByKernel,
    /// <summary>The trained network beats the kernels and its own linearisation by more than the margin, with confidence.</summary>
    NeedsFeatureLearning,
    /// <summary>Neither holds: the intervals are too wide, or the network differs from the kernel in a way feature learning does not explain.</summary>
    Inconclusive,
}

/// <summary>The network against one other model, per seed: d_s = ±(network_s − model_s), signed so that d &gt; 0 means the network is better.</summary>
/// <param name="Model">The other model (<c>linearised</c>, <c>ntk</c>, <c>nngp</c>).</param>
/// <param name="Difference">The interval over seeds of d (paired: both models see the same data in a seed).</param>
/// <param name="EffectSize">Cohen's d_z: the mean of d over its standard deviation (NaN when every seed gives the same d).</param>
public sealed record Comparison(string Model, SeedInterval Difference, double EffectSize);

/// <summary>The verdict for one metric, with the comparisons that decided it.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Verdict">The verdict.</param>
/// <param name="Margin">δ, the margin of practical equivalence, in the metric's units.</param>
/// <param name="HigherIsBetter">Orientation of the metric.</param>
/// <param name="Values">Per model, the interval over seeds of the metric's value.</param>
/// <param name="Comparisons">The network against each other model.</param>
/// <param name="Reason">One sentence saying why, in words.</param>
/// <param name="PerSeed">Per model, the value of every seed.</param>
/// <param name="Fraction">Whether the values are fractions shown as percentages (accuracies).</param>
public sealed record MetricVerdict(FalsifierMetric Metric, Verdict Verdict, double Margin, bool HigherIsBetter,
    IReadOnlyDictionary<string, SeedInterval> Values, IReadOnlyList<Comparison> Comparisons, string Reason,
    IReadOnlyDictionary<string, double[]> PerSeed, bool Fraction);

/// <summary>
/// The decision rule of the falsifier. For a metric measured on S seeds, each model m gets one value v_m(s) per seed; all
/// models in a seed see the same data. For the network (n) against each other model m, the paired differences
/// d_m(s) = v_n(s) − v_m(s) (negated for a metric where lower is better, so d &gt; 0 always means "the network is better")
/// give a Student-t interval [L_m, H_m] at the experiment's confidence (95 % by default) with S − 1 degrees of freedom.
/// With δ the margin of practical equivalence (<see cref="DefaultMargin"/> unless the experiment sets one):
/// <list type="bullet">
/// <item><b>needs-feature-learning</b> when L_m &gt; δ for every other model m (the NTK and NNGP regressions and the
/// linearised network): the network beats the kernels and its own frozen-feature version by more than δ, with
/// confidence.</item>
/// <item><b>explained-by-kernel</b> when δ ≥ H_ntk and L_ntk ≥ −δ, the whole interval of the network − NTK
/// difference lies in [−δ, δ] (an equivalence test, two one-sided tests at the interval's level): the network and the
/// infinite-width NTK regression agree within δ, with confidence.</item>
/// <item><b>inconclusive</b> otherwise: the intervals are too wide for either (more seeds narrow them), or the network
/// beats the kernel but not its linearisation (a finite-width effect with frozen features, not feature learning), or the
/// network is reliably worse than the kernel.</item>
/// </list>
/// The two verdicts exclude each other whenever δ ≥ 0, since L_ntk &gt; δ contradicts H_ntk ≤ δ.
/// </summary>
public static class VerdictRule
{
    /// <summary>The model every other is compared with.</summary>
    public const string Network = "network";
    /// <summary>The kernel whose agreement explains a phenomenon.</summary>
    public const string Ntk = "ntk";

    /// <summary>
    /// Default δ per metric: 0.02 for accuracies (two percentage points) and alignments, 0.05 for relative test MSE (five
    /// per cent of the target variance) and for the captured fraction of spectral components; for sample efficiency, that
    /// of its underlying measure.
    /// </summary>
    public static double DefaultMargin(FalsifierMetric metric, TargetKind targets) => metric switch
    {
        FalsifierMetric.TestAccuracy => 0.02,
        FalsifierMetric.KernelAlignment => 0.02,
        FalsifierMetric.TestLoss or FalsifierMetric.SpectralBias => 0.05,
        _ => targets == TargetKind.Regression ? 0.05 : 0.02,
    };

    /// <summary>
    /// Decides <paramref name="metric"/> from per-seed <paramref name="values"/> (model name → one value per seed, the
    /// network under <see cref="Network"/>, the NTK regression under <see cref="Ntk"/>). <paramref name="fraction"/>: the
    /// values are fractions, shown in percentage points in the reason.
    /// </summary>
    public static MetricVerdict Decide(FalsifierMetric metric, IReadOnlyDictionary<string, double[]> values, bool higherIsBetter, double margin, double confidence = 0.95, bool fraction = false)
    {
        if (!values.TryGetValue(Network, out var network)) throw new ArgumentException("no values for the network", nameof(values));
        if (!values.ContainsKey(Ntk)) throw new ArgumentException("no values for the NTK", nameof(values));
        var intervals = values.ToDictionary(kv => kv.Key, kv => SeedInterval.Of(kv.Value, confidence));
        var comparisons = new List<Comparison>();
        foreach (var (model, v) in values)
        {
            if (model == Network) continue;
            if (v.Length != network.Length) throw new ArgumentException($"{model} has {v.Length} seeds, the network {network.Length}", nameof(values));
            var d = new double[v.Length];
            for (int s = 0; s < d.Length; s++) d[s] = higherIsBetter ? network[s] - v[s] : v[s] - network[s];
            var interval = SeedInterval.Of(d, confidence);
            double effect = interval.StandardDeviation > 0 ? interval.Mean / interval.StandardDeviation : double.NaN;
            comparisons.Add(new Comparison(model, interval, effect));
        }
        var ntk = comparisons.First(c => c.Model == Ntk).Difference;
        Verdict verdict;
        string reason;
        // The network − NTK difference in the metric's own direction (a higher loss reads as positive), for statements
        // about agreement; leads keep the "positive is better" sign.
        (double, double, double) Raw(SeedInterval d) => higherIsBetter ? (d.Mean, d.Low, d.High) : (-d.Mean, -d.High, -d.Low);
        string Pct(double x) => fraction ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{x * 100:0.0} points") : x.ToString("G3", System.Globalization.CultureInfo.InvariantCulture);
        if (comparisons.All(c => c.Difference.Low > margin))
        {
            verdict = Verdict.NeedsFeatureLearning;
            var weakest = comparisons.MinBy(c => c.Difference.Low)!;
            reason = $"the network beats every frozen-feature model by more than δ = {Pct(margin)}; its smallest lead, over the {Label(weakest.Model)}, is {Pct(weakest.Difference.Mean)} (interval {Pct(weakest.Difference.Low)} to {Pct(weakest.Difference.High)})";
        }
        else if (ntk.Low >= -margin && ntk.High <= margin)
        {
            verdict = Verdict.ExplainedByKernel;
            var (mean, low, high) = Raw(ntk);
            reason = $"the network's value minus the NTK regression's is {Pct(mean)}, and the whole interval ({Pct(low)} to {Pct(high)}) lies within ±δ = {Pct(margin)}";
        }
        else
        {
            verdict = Verdict.Inconclusive;
            var linear = comparisons.FirstOrDefault(c => c.Model == "linearised");
            if (double.IsNaN(ntk.Low))
                reason = "the intervals are undefined (every seed must give a value)";
            else if (ntk.Low > margin && linear is not null && linear.Difference.Low <= margin)
                reason = $"the network beats the NTK by {Pct(ntk.Mean)} but not its linearisation by more than δ (lead {Pct(linear.Difference.Mean)}, interval {Pct(linear.Difference.Low)} to {Pct(linear.Difference.High)}): a finite-width effect with frozen features, not feature learning";
            else if (ntk.Low > margin)
                reason = $"the network beats the NTK by {Pct(ntk.Mean)} but not every frozen-feature model by more than δ = {Pct(margin)}";
            else if (ntk.High < -margin)
                reason = $"the network is worse than the NTK regression by {Pct(-ntk.Mean)} (interval {Pct(-ntk.High)} to {Pct(-ntk.Low)}): training fell short of the kernel";
            else
            {
                var (mean, low, high) = Raw(ntk);
                reason = $"the network's value minus the NTK regression's, {Pct(mean)} (interval {Pct(low)} to {Pct(high)}), is neither a lead beyond δ = {Pct(margin)} nor within ±δ: more seeds would narrow the interval (±{Pct(ntk.HalfWidth)} now)";
            }
        }
        return new MetricVerdict(metric, verdict, margin, higherIsBetter, intervals, comparisons, reason, values, fraction);
    }

    /// <summary>The verdict's name as printed and written: <c>explained-by-kernel</c>, <c>needs-feature-learning</c>, <c>inconclusive</c>.</summary>
    public static string Name(this Verdict verdict) => verdict switch
    {
        Verdict.ExplainedByKernel => "explained-by-kernel",
        Verdict.NeedsFeatureLearning => "needs-feature-learning",
        _ => "inconclusive",
    };

    /// <summary>A model's name for people.</summary>
    public static string Label(string model) => model switch
    {
        Network => "trained network",
        "linearised" => "linearised network",
        Ntk => "NTK regression",
        "nngp" => "NNGP regression",
        _ => model,
    };
}
