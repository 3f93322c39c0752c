using ScottPlot;
using Tangent.Experiments;

namespace Tangent.Reports;

/// <summary>One figure of the falsifier report: a title, a caption saying how to read it, and the PNG.</summary>
/// <param name="Name">File-safe name (<c>metric_vs_n</c>, ...).</param>
/// <param name="Title">Heading.</param>
/// <param name="Caption">How to read it, in plain words.</param>
/// <param name="Png">The image.</param>
public sealed record ReportFigure(string Name, string Title, string Caption, byte[] Png);

/// <summary>
/// The figures of the falsifier report, rendered off-screen by ScottPlot as PNG: the models side by side against n, the
/// effect sizes against the margin, learning curves, kernel movement, spectra and (for spectral-bias) what each model
/// learned per frequency. Every model has one colour throughout.
/// </summary>
public static class FalsifierPlots
{
    /// <summary>Size of every figure in pixels.</summary>
    public const int Width = 860, Height = 520;

    /// <summary>The colour of each model, the same in every figure.</summary>
    public static Color ColorOf(string model) => model switch
    {
        Falsifier.Network => Color.FromHex("#d62728"),
        Falsifier.Linearised => Color.FromHex("#ff7f0e"),
        Falsifier.Ntk => Color.FromHex("#1f77b4"),
        Falsifier.Nngp => Color.FromHex("#2ca02c"),
        _ => Color.FromHex("#7f7f7f"),
    };

    /// <summary>Every figure <paramref name="result"/> has data for, in report order.</summary>
    public static IReadOnlyList<ReportFigure> All(FalsifierResult result)
    {
        var figures = new List<ReportFigure> { AgainstN(result), Effects(result) };
        var d = result.Diagnostics;
        if (d?.Network is not null) figures.Add(LearningCurves(result, d));
        if (d?.Movement is { Steps.Length: > 0 }) figures.Add(Movement(d));
        if (d is { Spectra.Count: > 0 }) { figures.Add(Spectra(d)); figures.Add(TargetPower(d)); }
        if (result.Captured is not null) figures.Add(PerFrequency(result));
        return figures;
    }

    /// <summary>The learning-curve measure against n for every model: mean over seeds with its confidence band.</summary>
    public static ReportFigure AgainstN(FalsifierResult r)
    {
        string measure = r.CurveIsAccuracy ? "test accuracy" : "relative test MSE";
        var plot = NewPlot($"{Capital(measure)} against training-set size", "training examples n (log scale)", measure);
        var x = r.TrainSizes.Select(n => Math.Log2(n)).ToArray();
        double bottom = 1;
        foreach (var model in r.Models)
        {
            var table = r.CurveMeasure[model];
            var mean = new double[x.Length];
            var low = new double[x.Length];
            var high = new double[x.Length];
            for (int j = 0; j < x.Length; j++)
            {
                var interval = SeedInterval.Of(Enumerable.Range(0, table.GetLength(0)).Select(s => table[s, j]).ToArray(), r.Experiment.Confidence);
                (mean[j], low[j], high[j]) = (interval.Mean, interval.Low, interval.High);
                bottom = Math.Min(bottom, double.IsFinite(interval.Low) ? interval.Low : interval.Mean);
            }
            var color = ColorOf(model);
            if (x.Length > 1 && low.All(double.IsFinite))
            {
                var band = plot.Add.FillY(x, low, high);
                band.FillStyle.Color = color.WithAlpha(0.18);
                band.LineStyle.Width = 0;
            }
            var line = plot.Add.Scatter(x, mean);
            line.Color = color;
            line.LineWidth = 2.5f;
            line.MarkerSize = 7;
            line.LegendText = VerdictRule.Label(model);
        }
        plot.Axes.Bottom.SetTicks(x, r.TrainSizes.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        // Accuracies up to 1, from a little below the lowest interval (chance is often far above 0).
        if (r.CurveIsAccuracy) plot.Axes.SetLimitsY(Math.Max(0, Math.Floor((bottom - 0.05) * 20) / 20), 1.02);
        plot.ShowLegend(r.CurveIsAccuracy ? Alignment.LowerRight : Alignment.UpperRight);
        return Figure("metric_vs_n", $"{Capital(measure)} against n",
            $"Each line is the mean over {r.Seeds.Count} seeds, the band its {r.Experiment.Confidence:P0} confidence interval. " +
            (r.CurveIsAccuracy ? "Higher is better; " : "Lower is better (1 = no better than predicting the mean); ") +
            "a gap between the trained network and the other three that stays open as n grows is what feature learning looks like.", plot);
    }

    /// <summary>Forest plot: the network's lead over each other model, per metric, in units of the metric's margin δ.</summary>
    public static ReportFigure Effects(FalsifierResult r)
    {
        var plot = NewPlot("The network's lead over each frozen-feature model", "(network − model) / δ   (> 0: the network is better)", "");
        var labels = new List<string>();
        var positions = new List<double>();
        int row = 0;
        foreach (var v in r.Verdicts.Reverse())
        {
            foreach (var c in v.Comparisons.Reverse())
            {
                double scale = v.Margin > 0 ? v.Margin : 1;
                double y = row++;
                var color = ColorOf(c.Model);
                if (double.IsFinite(c.Difference.Low))
                {
                    var bar = plot.Add.Line(c.Difference.Low / scale, y, c.Difference.High / scale, y);
                    bar.Color = color;
                    bar.LineWidth = 3;
                }
                var dot = plot.Add.Marker(c.Difference.Mean / scale, y);
                dot.Color = color;
                dot.Size = 10;
                labels.Add($"{v.Metric.Name()}: vs {c.Model}");
                positions.Add(y);
            }
            row++;
        }
        foreach (double edge in new[] { -1.0, 1.0 })
        {
            var line = plot.Add.VerticalLine(edge);
            line.Color = Colors.Gray;
            line.LinePattern = LinePattern.Dashed;
        }
        var zero = plot.Add.VerticalLine(0);
        zero.Color = Colors.Black;
        plot.Axes.Left.SetTicks(positions.ToArray(), labels.ToArray());
        plot.Axes.SetLimitsY(-1, row - 1);
        return Figure("effects", "Effect sizes against the margin",
            $"Each row is the network against one other model for one metric: the dot is the mean difference over seeds, the bar its {r.Experiment.Confidence:P0} confidence interval, " +
            "both divided by the metric's margin δ (dashed lines at ±1). Needs-feature-learning: every bar of a metric lies right of +1. " +
            "Explained-by-kernel: the bar against the NTK lies between the dashed lines.", plot);
    }

    /// <summary>Training and test loss along training for the network and its linearisation, with the kernels' test loss.</summary>
    public static ReportFigure LearningCurves(FalsifierResult r, FalsifierDiagnostics d)
    {
        var plot = NewPlot($"Learning curves (seed {d.Seed}, n = {d.TrainSize})", "training step", "MSE (½·mean, log scale)");
        void Curve(string model, LossCurve c)
        {
            var steps = c.Steps.Select(s => (double)s).ToArray();
            var test = plot.Add.ScatterLine(steps, LogAxes.Log10(c.TestLoss));
            test.Color = ColorOf(model);
            test.LineWidth = 2.5f;
            test.LegendText = $"{VerdictRule.Label(model)}: test";
            var train = plot.Add.ScatterLine(steps, LogAxes.Log10(c.TrainLoss));
            train.Color = ColorOf(model);
            train.LineWidth = 1.5f;
            train.LinePattern = LinePattern.Dashed;
            train.LegendText = $"{VerdictRule.Label(model)}: train";
        }
        Curve(Falsifier.Network, d.Network!);
        if (d.Linearised is not null) Curve(Falsifier.Linearised, d.Linearised);
        foreach (var (model, loss) in d.KernelTestLoss)
        {
            if (!(loss > 0)) continue;
            var line = plot.Add.HorizontalLine(Math.Log10(loss));
            line.Color = ColorOf(model);
            line.LinePattern = LinePattern.Dotted;
            line.LineWidth = 2;
            line.LegendText = $"{VerdictRule.Label(model)}: test (t = ∞)";
        }
        LogAxes.Apply(plot.Axes.Left);
        plot.ShowLegend(Alignment.LowerLeft);
        return Figure("learning_curves", "Learning curves",
            "Solid: test loss, dashed: training loss, along training, for the network and its linearisation (same data, initialisation, optimiser and steps); " +
            "dotted: the test loss of the kernel regressions, the infinitely wide network trained to convergence. " +
            "The linearisation can only reweight features fixed at initialisation; the network can change them.", plot);
    }

    /// <summary>How far the network's empirical NTK moved along training.</summary>
    public static ReportFigure Movement(FalsifierDiagnostics d)
    {
        var m = d.Movement!;
        var plot = NewPlot($"Kernel movement (seed {d.Seed}, n = {d.TrainSize})", "training step", "value");
        var steps = m.Steps.Select(s => (double)s).ToArray();
        var change = plot.Add.ScatterLine(steps, m.RelativeChange);
        change.Color = ColorOf(Falsifier.Network);
        change.LineWidth = 2.5f;
        change.LegendText = "‖K_t − K_0‖_F / ‖K_0‖_F (network)";
        if (m.TargetAlignment.Any(double.IsFinite))
        {
            var align = plot.Add.ScatterLine(steps, m.TargetAlignment);
            align.Color = Color.FromHex("#9467bd");
            align.LineWidth = 2;
            align.LinePattern = LinePattern.Dashed;
            align.LegendText = "centred kernel–target alignment of K_t";
        }
        plot.ShowLegend(Alignment.UpperLeft);
        return Figure("kernel_movement", "Kernel movement over training",
            "The relative change of the network's empirical NTK on the training set from its value at initialisation. The linearised network's kernel " +
            "never moves (0 throughout), and neither does the infinite-width NTK; a kernel that moves far and towards the targets is feature learning.", plot);
    }

    /// <summary>
    /// One curve per kernel (analytic NTK, NTK at initialisation, NTK after training, in that order) against the mode index
    /// k = 1, 2, … on a log axis; <paramref name="y"/> maps the values to the plotted ones.
    /// </summary>
    private static void AddModeCurves(Plot plot, IReadOnlyDictionary<string, double[]> series, Func<double[], double[]> y)
    {
        var palette = new[] { ColorOf(Falsifier.Ntk), ColorOf(Falsifier.Linearised), ColorOf(Falsifier.Network) };
        int i = 0;
        foreach (var (name, values) in series)
        {
            var k = LogAxes.Log10(Enumerable.Range(1, values.Length).Select(v => (double)v));
            var line = plot.Add.ScatterLine(k, y(values));
            line.Color = palette[i++ % palette.Length];
            line.LineWidth = 2.5f;
            line.LegendText = name;
        }
    }

    /// <summary>Eigenvalues of the kernels on the training set, divided by the trace.</summary>
    public static ReportFigure Spectra(FalsifierDiagnostics d)
    {
        var plot = NewPlot($"Kernel spectra (seed {d.Seed}, n = {d.TrainSize})", "mode k (largest first, log scale)", "eigenvalue / trace (log scale)");
        AddModeCurves(plot, d.Spectra, values => LogAxes.Log10(values));
        LogAxes.Apply(plot.Axes.Bottom);
        LogAxes.Apply(plot.Axes.Left);
        plot.ShowLegend(Alignment.LowerLeft);
        return Figure("spectra", "Kernel spectra",
            "Eigenvalues of each kernel on the training inputs, largest first, divided by the trace. The analytic NTK (blue) is the infinite-width kernel; " +
            "the empirical NTK at initialisation (orange) is what the linearised network uses; the empirical NTK after training (red) is the network's final kernel. " +
            "Feature learning typically concentrates the spectrum on a few large modes.", plot);
    }

    /// <summary>Cumulative fraction of the centred targets' energy in each kernel's top eigenvectors.</summary>
    public static ReportFigure TargetPower(FalsifierDiagnostics d)
    {
        var plot = NewPlot($"Target energy in the top modes (seed {d.Seed}, n = {d.TrainSize})", "top k modes (log scale)", "fraction of the target's energy");
        AddModeCurves(plot, d.TargetPower, values => values);
        LogAxes.Apply(plot.Axes.Bottom);
        plot.Axes.SetLimitsY(0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        return Figure("target_power", "Where the target lies in each kernel's eigenbasis",
            "For each kernel, the fraction of the (centred) training targets' energy in its top k eigenvectors. Kernel regression learns the top modes first, so a curve " +
            "that rises early means the kernel finds the target easy; a trained kernel whose curve jumps up where the initial one is flat has learned the target's features.", plot);
    }

    /// <summary>Spectral bias: what each model captured of each frequency of the target.</summary>
    public static ReportFigure PerFrequency(FalsifierResult r)
    {
        var plot = NewPlot($"Captured fraction per frequency (n = {r.TrainSizes[^1]})", "frequency k of the target component", "fraction captured");
        var freqs = r.Frequencies!.Select(f => (double)f).ToArray();
        foreach (var model in r.Models)
        {
            var table = r.Captured![model];
            var mean = new double[freqs.Length];
            for (int q = 0; q < freqs.Length; q++)
                mean[q] = SeedInterval.Of(Enumerable.Range(0, table.GetLength(0)).Select(s => table[s, q]).ToArray(), r.Experiment.Confidence).Mean;
            var line = plot.Add.Scatter(freqs, mean);
            line.Color = ColorOf(model);
            line.LineWidth = 2.5f;
            line.MarkerSize = 8;
            line.LegendText = VerdictRule.Label(model);
        }
        plot.Axes.Bottom.SetTicks(freqs, r.Frequencies!.Select(f => f.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.ShowLegend(Alignment.LowerLeft);
        return Figure("spectral_bias", "Spectral bias",
            "For each frequency of the target, 1 − ‖P_k(f − y)‖²/‖P_k y‖² on the test circle (mean over seeds): 1 means that component was learned, 0 not at all. " +
            "Kernels learn low frequencies first; a network that captures high frequencies the kernels miss escapes that bias.", plot);
    }

    private static ReportFigure Figure(string name, string title, string caption, Plot plot) =>
        new(name, title, caption, plot.GetImageBytes(Width, Height, ImageFormat.Png));

    private static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    private static Plot NewPlot(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(x);
        if (y.Length > 0) plot.YLabel(y);
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.12);
        return plot;
    }
}
