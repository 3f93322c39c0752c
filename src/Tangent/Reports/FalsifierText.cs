using System.Globalization;
using System.Text;
using Tangent.Experiments;

namespace Tangent.Reports;

/// <summary>The words of the falsifier's report: the plain-language reading of the verdict, the decision rule, and the terminal's Markdown table.</summary>
public static class FalsifierText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A metric value: a percentage for fractions, else three significant digits.</summary>
    public static string Value(double v, bool fraction) =>
        !double.IsFinite(v) ? "n/a" : fraction ? (v * 100).ToString("0.0", Inv) + " %" : Number(v);

    // Three significant digits, with a lower-case exponent only where the number needs one.
    private static string Number(double v) => v.ToString("G3", Inv).Replace("E", "e", StringComparison.Ordinal);

    /// <summary>A difference: percentage points for fractions.</summary>
    public static string Difference(double v, bool fraction) =>
        !double.IsFinite(v) ? "n/a" : fraction ? (v * 100).ToString("+0.0;−0.0;0.0", Inv) + " pts" : (v > 0 ? "+" : v < 0 ? "−" : "") + Number(Math.Abs(v));

    /// <summary>A value with its interval: <c>97.3 % [96.1, 98.5]</c>.</summary>
    public static string WithInterval(SeedInterval i, bool fraction) => fraction
        ? $"{Value(i.Mean, true)} [{(i.Low * 100).ToString("0.0", Inv)}, {(i.High * 100).ToString("0.0", Inv)}]"
        : $"{Value(i.Mean, false)} [{Value(i.Low, false)}, {Value(i.High, false)}]";

    /// <summary>What a metric is, for people.</summary>
    public static string Describe(MetricVerdict v, FalsifierResult r) => v.Metric switch
    {
        FalsifierMetric.TestAccuracy => $"test accuracy at n = {r.TrainSizes[^1]}",
        FalsifierMetric.TestLoss => $"relative test MSE at n = {r.TrainSizes[^1]} (lower is better)",
        FalsifierMetric.SampleEfficiency => r.CurveIsAccuracy
            ? $"sample efficiency: test accuracy averaged over n = {string.Join(", ", r.TrainSizes)}"
            : $"sample efficiency: relative test MSE averaged over n = {string.Join(", ", r.TrainSizes)} (lower is better)",
        FalsifierMetric.KernelAlignment => $"centred kernel–target alignment of each model's kernel at n = {r.TrainSizes[^1]}",
        _ => $"spectral bias: fraction of the target's frequency components captured, mean over frequencies {string.Join(", ", r.Frequencies ?? [])}",
    };

    /// <summary>One paragraph saying, for someone who has not seen the code, what was done and what the primary verdict means.</summary>
    public static string Reading(FalsifierResult r)
    {
        var v = r.Primary;
        bool f = v.Fraction;
        string Of(string model) => v.Values.TryGetValue(model, out var i) ? Value(i.Mean, f) : "n/a";
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"We trained a finite network ({r.Architecture}, width {r.Experiment.Width}, {ParameterizationName(r.Experiment)}) on {r.Task} ");
        sb.Append(CultureInfo.InvariantCulture, $"and compared it, on the same data, with three models whose features cannot change: the same network linearised at its initialisation, ");
        sb.Append(CultureInfo.InvariantCulture, $"and the infinitely wide network's kernels (NTK and NNGP regression). Measured by {Describe(v, r)}, over {r.Seeds.Count} seeds, ");
        sb.Append(CultureInfo.InvariantCulture, $"the trained network scores {Of(Falsifier.Network)}");
        if (v.Values.ContainsKey(Falsifier.Linearised)) sb.Append(CultureInfo.InvariantCulture, $", its linearisation {Of(Falsifier.Linearised)}");
        sb.Append(CultureInfo.InvariantCulture, $", NTK regression {Of(Falsifier.Ntk)} and NNGP regression {Of(Falsifier.Nngp)}. ");
        var ntk = v.Comparisons.First(c => c.Model == Falsifier.Ntk).Difference;
        switch (v.Verdict)
        {
            case Verdict.NeedsFeatureLearning:
                var weakest = v.Comparisons.MinBy(c => c.Difference.Low)!;
                sb.Append(CultureInfo.InvariantCulture, $"The network beats every one of them by more than the margin of {Difference(v.Margin, f).TrimStart('+')}, even at the low end of the confidence interval ");
                sb.Append(CultureInfo.InvariantCulture, $"(its smallest lead is over the {VerdictRule.Label(weakest.Model)}: {Difference(weakest.Difference.Mean, f)}, interval {Difference(weakest.Difference.Low, f)} to {Difference(weakest.Difference.High, f)}). ");
                sb.Append("Verdict: needs feature learning. This result does not survive freezing the features: a kernel method, even the infinitely wide network's own, does not explain it; the network had to adapt its features to the task.");
                break;
            case Verdict.ExplainedByKernel:
                double sign = v.HigherIsBetter ? 1 : -1;
                sb.Append(CultureInfo.InvariantCulture, $"The network's value minus NTK regression's is {Difference(sign * ntk.Mean, f)} ({r.Experiment.Confidence:P0} interval {Difference(Math.Min(sign * ntk.Low, sign * ntk.High), f)} to {Difference(Math.Max(sign * ntk.Low, sign * ntk.High), f)}), entirely within the margin of ±{Difference(v.Margin, f).TrimStart('+')}. ");
                sb.Append("Verdict: explained by the kernel. Freezing the features, or taking the width to infinity, leaves this result unchanged within the seeds' uncertainty; whatever the network does here, a fixed kernel does as well.");
                break;
            default:
                sb.Append(CultureInfo.InvariantCulture, $"Verdict: inconclusive, because {v.Reason}. ");
                sb.Append("The experiment cannot yet say on which side of the kernel boundary this result lies; more seeds narrow the intervals, and a wider range of n or a longer training may separate the models.");
                break;
        }
        if (r.Diagnostics?.Movement is { RelativeChange.Length: > 0 } m)
            sb.Append(CultureInfo.InvariantCulture, $" Along training the network's empirical NTK moved by {m.RelativeChange[^1] * 100:0} % of its initial size (seed {r.Diagnostics.Seed}, n = {r.Diagnostics.TrainSize}).");
        return sb.ToString();
    }

    /// <summary>The decision rule in words, with this experiment's numbers.</summary>
    public static string Rule(FalsifierResult r) =>
        $"For each metric and seed, every model is measured on the same data; for the network against each other model the per-seed differences " +
        $"(signed so that positive means the network is better) give a Student-t {r.Experiment.Confidence:P0} confidence interval over the {r.Seeds.Count} seeds. " +
        "With δ the metric's margin of practical equivalence: needs-feature-learning when the lower end of every interval (against the linearised network, NTK regression and NNGP regression) exceeds δ; " +
        "explained-by-kernel when the whole interval of network − NTK lies within [−δ, δ] (an equivalence test); inconclusive otherwise. " +
        "The experiment's verdict is that of its first metric. Effect sizes are the mean difference with its interval and Cohen's d_z (mean over standard deviation of the paired differences).";

    /// <summary>The Markdown summary printed in the terminal: one row per metric, the models' values and the verdict.</summary>
    public static string Markdown(FalsifierResult r)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"## Falsifier: {r.Task}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{r.Architecture}, width {r.Experiment.Width}, {ParameterizationName(r.Experiment)}; {r.Seeds.Count} seeds; n = {string.Join(", ", r.TrainSizes)}; {r.Experiment.TestSize} test examples; {r.Seconds:0.0} s");
        sb.AppendLine();
        var header = new List<string> { "metric" };
        header.AddRange(r.Models.Select(VerdictRule.Label));
        header.Add("network − NTK [interval]");
        header.Add("verdict");
        sb.AppendLine("| " + string.Join(" | ", header) + " |");
        sb.AppendLine("|" + string.Concat(header.Select(_ => " --- |")));
        foreach (var v in r.Verdicts)
        {
            var cells = new List<string> { v.Metric.Name() + (v.HigherIsBetter ? " ↑" : " ↓") };
            cells.AddRange(r.Models.Select(m => WithInterval(v.Values[m], v.Fraction)));
            var ntk = v.Comparisons.First(c => c.Model == Falsifier.Ntk).Difference;
            // Shown as network − NTK in the metric's own direction, so a lower loss reads as a negative difference.
            double sign = v.HigherIsBetter ? 1 : -1;
            double lo = sign > 0 ? ntk.Low : -ntk.High, hi = sign > 0 ? ntk.High : -ntk.Low;
            cells.Add($"{Difference(sign * ntk.Mean, v.Fraction)} [{Difference(lo, v.Fraction)}, {Difference(hi, v.Fraction)}]");
            cells.Add("**" + v.Verdict.Name() + "**");
            sb.AppendLine("| " + string.Join(" | ", cells) + " |");
        }
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"**Verdict: {r.Primary.Verdict.Name()}** ({r.Primary.Metric.Name()}): {r.Primary.Reason}.");
        return sb.ToString();
    }

    /// <summary>The network's parameterisation and output scale, in words.</summary>
    public static string ParameterizationName(Experiment e)
    {
        string p = e.Parameterization switch
        {
            Networks.NetworkParameterization.Mup => "muP",
            Networks.NetworkParameterization.MeanField => "mean-field",
            Networks.NetworkParameterization.Standard => "standard parameterisation",
            _ => "NTK parameterisation",
        };
        return e.Alpha == 1 ? p : string.Create(CultureInfo.InvariantCulture, $"{p}, α = {e.Alpha:G3}");
    }
}
