using System.Globalization;
using System.Net;
using System.Text;
using Tangent.Experiments;

namespace Tangent.Reports;

/// <summary>
/// The falsifier's report as one self-contained HTML file: no scripts, no external files or fonts; the figures are
/// embedded as base64 PNG. It opens anywhere, prints, and renders headlessly.
/// </summary>
public static class FalsifierHtml
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The whole page.</summary>
    public static string Render(FalsifierResult r, IReadOnlyList<ReportFigure> figures)
    {
        var v = r.Primary;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        sb.Append(Inv, $"<title>Tangent falsifier: {E(v.Verdict.Name())} — {E(r.Task)}</title>\n");
        sb.Append("""
<style>
body{font-family:-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
h1{font-size:1.6em;margin-bottom:.2em} h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.verdict{border-radius:8px;padding:.8em 1.2em;margin:1em 0;color:#fff;font-size:1.3em;font-weight:600}
.needs-feature-learning{background:#b8322a} .explained-by-kernel{background:#1f5fa0} .inconclusive{background:#6b6b6b}
.verdict small{display:block;font-weight:400;font-size:.7em;opacity:.95}
table{border-collapse:collapse;margin:1em 0;font-size:.92em} th,td{border:1px solid #ccc;padding:.35em .6em;text-align:right} th{background:#f3f3f3}
td:first-child,th:first-child{text-align:left} .tag{font-weight:600;white-space:nowrap}
figure{margin:1.5em 0} figure img{max-width:100%;border:1px solid #e3e3e3} figcaption{font-size:.9em;color:#444}
.reading{font-size:1.05em;background:#fafafa;border-left:4px solid #999;padding:.6em 1em}
code{background:#f3f3f3;padding:0 .2em} .muted{color:#666;font-size:.9em}
</style></head><body>

""");
        sb.Append("<h1>Would it survive if the features froze?</h1>\n");
        sb.Append(Inv, $"<p class=\"muted\">Tangent falsifier · {E(r.Task)} · {E(r.Architecture)} · width {r.Experiment.Width}, {E(FalsifierText.ParameterizationName(r.Experiment))} · {r.Seeds.Count} seeds · n = {E(string.Join(", ", r.TrainSizes))}</p>\n");
        sb.Append(Inv, $"<div class=\"verdict {v.Verdict.Name()}\">Verdict: {E(v.Verdict.Name())}<small>{E(FalsifierText.Describe(v, r))}: {E(v.Reason)}.</small></div>\n");
        sb.Append(Inv, $"<h2>What this means</h2>\n<p class=\"reading\">{E(FalsifierText.Reading(r))}</p>\n");

        sb.Append("<h2>Results per metric</h2>\n");
        sb.Append(Inv, $"<p>Mean over seeds, with the {r.Experiment.Confidence:P0} confidence interval in brackets.</p>\n<table><tr><th>metric</th>");
        foreach (var m in r.Models) sb.Append(Inv, $"<th>{E(VerdictRule.Label(m))}</th>");
        sb.Append("<th>margin δ</th><th>verdict</th></tr>\n");
        foreach (var mv in r.Verdicts)
        {
            sb.Append(Inv, $"<tr><td>{E(mv.Metric.Name())} {(mv.HigherIsBetter ? "↑" : "↓")}<br><span class=\"muted\">{E(FalsifierText.Describe(mv, r))}</span></td>");
            foreach (var m in r.Models) sb.Append(Inv, $"<td>{E(FalsifierText.WithInterval(mv.Values[m], mv.Fraction))}</td>");
            sb.Append(Inv, $"<td>{E(FalsifierText.Difference(mv.Margin, mv.Fraction).TrimStart('+'))}</td><td class=\"tag\">{E(mv.Verdict.Name())}</td></tr>\n");
        }
        sb.Append("</table>\n");

        sb.Append("<h2>Effect sizes</h2>\n<p>The network's lead over each other model (positive: the network is better), per metric: mean paired difference over seeds, its confidence interval, and Cohen's d<sub>z</sub>.</p>\n");
        sb.Append("<table><tr><th>metric</th><th>network vs</th><th>lead</th><th>interval</th><th>d<sub>z</sub></th><th>why</th></tr>\n");
        foreach (var mv in r.Verdicts)
        {
            bool first = true;
            foreach (var c in mv.Comparisons)
            {
                sb.Append(Inv, $"<tr><td>{(first ? E(mv.Metric.Name()) : "")}</td><td>{E(VerdictRule.Label(c.Model))}</td><td>{E(FalsifierText.Difference(c.Difference.Mean, mv.Fraction))}</td>");
                sb.Append(Inv, $"<td>{E(FalsifierText.Difference(c.Difference.Low, mv.Fraction))} to {E(FalsifierText.Difference(c.Difference.High, mv.Fraction))}</td><td>{(double.IsFinite(c.EffectSize) ? c.EffectSize.ToString("0.0", Inv) : "—")}</td>");
                sb.Append(Inv, $"<td style=\"text-align:left\">{(first ? E(mv.Reason) : "")}</td></tr>\n");
                first = false;
            }
        }
        sb.Append("</table>\n");

        sb.Append("<h2>Figures</h2>\n");
        foreach (var f in figures)
        {
            sb.Append(Inv, $"<figure id=\"{E(f.Name)}\"><h3>{E(f.Title)}</h3><img alt=\"{E(f.Title)}\" width=\"{FalsifierPlots.Width}\" height=\"{FalsifierPlots.Height}\" src=\"data:image/png;base64,");
            sb.Append(Convert.ToBase64String(f.Png));
            sb.Append(Inv, $"\"><figcaption>{E(f.Caption)}</figcaption></figure>\n");
        }

        sb.Append("<h2>How the verdict is decided</h2>\n");
        sb.Append(Inv, $"<p>{E(FalsifierText.Rule(r))}</p>\n");
        sb.Append("<h2>The experiment</h2>\n<table>\n");
        void Row(string k, string val) => sb.Append(Inv, $"<tr><td>{E(k)}</td><td style=\"text-align:left\">{E(val)}</td></tr>\n");
        var e = r.Experiment;
        Row("task", r.Task);
        Row("architecture", r.Architecture);
        Row("network", $"width {e.Width}, {FalsifierText.ParameterizationName(e)}");
        Row("training", $"{e.Training.Optimizer}, learning rate {e.Training.LearningRate.ToString("G4", Inv)}, {e.Training.Steps} steps, {(e.Training.BatchSize == 0 ? "full batch" : $"batch {e.Training.BatchSize}")}, MSE loss; the linearised network trains identically");
        Row("kernels", $"analytic NTK and NNGP of the architecture, kernel regression (t = ∞), ridge {e.Ridge.ToString("G3", Inv)} × trace/n");
        Row("training-set sizes", string.Join(", ", r.TrainSizes));
        Row("test examples", e.TestSize.ToString(Inv));
        Row("seeds", string.Join(", ", r.Seeds));
        Row("run time", $"{r.Seconds.ToString("0.0", Inv)} s");
        sb.Append("</table>\n<p class=\"muted\">Written by <code>tangent falsify</code>; the numbers are in <code>verdict.json</code> next to this file.</p>\n</body></html>\n");
        return sb.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
