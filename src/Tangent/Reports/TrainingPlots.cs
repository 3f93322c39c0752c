using ScottPlot;
using Tangent.Experiments;
using Tangent.Networks;

namespace Tangent.Reports;

/// <summary>
/// Figures of training runs and sweeps: losses and kernel movement along training; width scaling of the movement; the
/// α sweep (lazy-to-rich transition) and the width × α phase diagram (heat maps), in the spirit of Geiger et al. (2020).
/// </summary>
public static class TrainingPlots
{
    /// <summary>training.png (losses of network and linearisation), movement.png (kernel, parameter, output movement) and spectrum.png.</summary>
    public static IReadOnlyList<string> WriteRun(TrainingRunResult run, string directory)
    {
        var r = run.Records;
        var steps = LogAxes.Log10(r.Select(x => x.Step + 1.0));
        var paths = new List<string>();

        var losses = New($"Loss along training: {run.Config.Label}", "step + 1", "loss");
        Line(losses, steps, r.Select(x => x.TrainLoss), "network, train", Style.Filled, 0);
        Line(losses, steps, r.Select(x => x.TestLoss), "network, test", Style.Filled, 1);
        if (run.Config.Linearize)
        {
            Line(losses, steps, r.Select(x => x.LinTrainLoss), "linearised, train", Style.Open, 0);
            Line(losses, steps, r.Select(x => x.LinTestLoss), "linearised, test", Style.Open, 1);
        }
        LogAxes.Apply(losses.Axes.Bottom);
        LogAxes.Apply(losses.Axes.Left);
        losses.ShowLegend(Alignment.LowerLeft);
        paths.AddRange(PlotFile.Save(losses, Path.Combine(directory, "training")));

        var move = New("Movement away from initialisation", "step + 1", "relative change");
        Line(move, steps, r.Select(x => x.KernelChange), "‖K_t − K₀‖/‖K₀‖", Style.Filled, 0);
        Line(move, steps, r.Select(x => x.ParamChange), "‖θ_t − θ₀‖/‖θ₀‖", Style.Filled, 1);
        Line(move, steps, r.Select(x => 1 - x.KernelCka), "1 − CKA(K_t, K₀)", Style.Filled, 2);
        if (run.Config.Linearize) Line(move, steps, r.Select(x => x.OutputGapRelative), "‖f − f_lin‖/‖f_lin‖ (test)", Style.Open, 3);
        LogAxes.Apply(move.Axes.Bottom);
        LogAxes.Apply(move.Axes.Left);
        move.ShowLegend(Alignment.UpperLeft);
        paths.AddRange(PlotFile.Save(move, Path.Combine(directory, "movement")));

        if (r[0].KernelEigenvalues.Length > 0)
        {
            var spectrum = New("Spectrum of the empirical NTK on the probe set", "mode k", "eigenvalue");
            var palette = new ScottPlot.Palettes.Category10();
            for (int i = 0; i < r.Count; i += Math.Max(1, r.Count / 5))
                Line(spectrum, LogAxes.Log10(Enumerable.Range(1, r[i].KernelEigenvalues.Length).Select(k => (double)k)), r[i].KernelEigenvalues, $"step {r[i].Step}", Style.Filled, i % 10);
            var last = r[^1];
            Line(spectrum, LogAxes.Log10(Enumerable.Range(1, last.KernelEigenvalues.Length).Select(k => (double)k)), last.KernelEigenvalues, $"step {last.Step} (end)", Style.Open, 3);
            LogAxes.Apply(spectrum.Axes.Bottom);
            LogAxes.Apply(spectrum.Axes.Left);
            spectrum.ShowLegend(Alignment.LowerLeft);
            paths.AddRange(PlotFile.Save(spectrum, Path.Combine(directory, "spectrum")));
        }
        return paths;
    }

    /// <summary>
    /// width_scaling.png (kernel and parameter movement against width, log–log, per parameterisation), output_gap.png,
    /// and, with two or more α, alpha_sweep_*.png and phase_*.png heat maps of test loss and kernel movement over width × α.
    /// </summary>
    public static IReadOnlyList<string> WriteSweep(SweepSummary summary, string directory)
    {
        var paths = new List<string>();
        var grid = summary.Sweep.Grid;
        var headline = summary.Groups.Where(g => Nullable.Equals(g.Alpha, grid.Alphas[0]) && g.LearningRate == grid.LearningRates[0]).ToList();
        if (grid.Widths.Length > 1)
        {
            var scaling = New("Movement at the end of training against width", "width n", "relative change (mean ± SE over seeds)");
            int colour = 0;
            foreach (var series in headline.GroupBy(g => g.Parameterization))
            {
                var cells = series.OrderBy(g => g.Width).ToList();
                var x = LogAxes.Log10(cells.Select(g => (double)g.Width));
                var fit = summary.HeadlineFits.FirstOrDefault(f => f.Parameterization == series.Key);
                ErrorLine(scaling, x, cells.Select(g => g.Metrics["kernel_change"]), $"{series.Key.Name()}: kernel{Slope(fit?.KernelChange)}", Style.Filled, colour);
                ErrorLine(scaling, x, cells.Select(g => g.Metrics["param_change"]), $"{series.Key.Name()}: parameters{Slope(fit?.ParamChange)}", Style.Open, colour);
                colour++;
            }
            LogAxes.Apply(scaling.Axes.Bottom);
            LogAxes.Apply(scaling.Axes.Left);
            scaling.ShowLegend(Alignment.LowerLeft);
            paths.AddRange(PlotFile.Save(scaling, Path.Combine(directory, "width_scaling")));

            if (headline.Any(g => double.IsFinite(g.Metrics["output_gap"].Mean)))
            {
                var gap = New("Network against its linearisation on test points", "width n", "RMS of f − f_lin (mean ± SE)");
                colour = 0;
                foreach (var series in headline.GroupBy(g => g.Parameterization))
                {
                    var cells = series.OrderBy(g => g.Width).ToList();
                    var fit = summary.HeadlineFits.FirstOrDefault(f => f.Parameterization == series.Key);
                    ErrorLine(gap, LogAxes.Log10(cells.Select(g => (double)g.Width)), cells.Select(g => g.Metrics["output_gap"]), $"{series.Key.Name()}{Slope(fit?.OutputGap)}", Style.Filled, colour++);
                }
                LogAxes.Apply(gap.Axes.Bottom);
                LogAxes.Apply(gap.Axes.Left);
                gap.ShowLegend(Alignment.LowerLeft);
                paths.AddRange(PlotFile.Save(gap, Path.Combine(directory, "output_gap")));
            }
        }
        var alphas = grid.Alphas.Where(a => a is not null).Select(a => a!.Value).OrderBy(a => a).ToArray();
        if (alphas.Length > 1)
        {
            foreach (var series in summary.Groups.Where(g => g.Alpha is not null).GroupBy(g => (g.Parameterization, g.LearningRate)))
            {
                string suffix = grid.LearningRates.Length > 1 ? $"{series.Key.Parameterization.Name()}_lr{series.Key.LearningRate:G4}" : series.Key.Parameterization.Name();
                paths.AddRange(AlphaSweep(series.ToList(), alphas, series.Key.Parameterization, directory, suffix));
                if (grid.Widths.Length > 1)
                {
                    paths.AddRange(Phase(series.ToList(), grid.Widths, alphas, "test_loss", "test loss", series.Key.Parameterization, Path.Combine(directory, $"phase_test_loss_{suffix}")));
                    paths.AddRange(Phase(series.ToList(), grid.Widths, alphas, "kernel_change", "kernel change ‖K_T − K₀‖/‖K₀‖", series.Key.Parameterization, Path.Combine(directory, $"phase_kernel_change_{suffix}")));
                }
            }
        }
        return paths;
    }

    private static string[] AlphaSweep(List<SweepGroup> cells, double[] alphas, NetworkParameterization p, string directory, string suffix)
    {
        var plot = New($"Lazy to rich: output scale α ({p.Name()})", "α (large: lazy, small: rich)", "test loss / kernel change");
        var x = LogAxes.Log10(alphas);
        int colour = 0;
        foreach (var w in cells.Select(c => c.Width).Distinct().Order())
        {
            MeanError At(double a, string m) => cells.FirstOrDefault(c => c.Width == w && c.Alpha == a)?.Metrics[m] ?? new(double.NaN, double.NaN, 0);
            ErrorLine(plot, x, alphas.Select(a => At(a, "test_loss")), $"w={w}: network test loss", Style.Filled, colour);
            ErrorLine(plot, x, alphas.Select(a => At(a, "lin_test_loss")), $"w={w}: linearised test loss", Style.Triangle, colour);
            ErrorLine(plot, x, alphas.Select(a => At(a, "kernel_change")), $"w={w}: kernel change", Style.Open, colour);
            colour++;
        }
        LogAxes.Apply(plot.Axes.Bottom);
        LogAxes.Apply(plot.Axes.Left);
        plot.ShowLegend(Alignment.LowerLeft);
        return PlotFile.Save(plot, Path.Combine(directory, $"alpha_sweep_{suffix}"));
    }

    private static string[] Phase(List<SweepGroup> cells, int[] widths, double[] alphas, string metric, string label, NetworkParameterization p, string stem)
    {
        var sortedWidths = widths.Distinct().Order().ToArray();
        // Heat-map rows run top to bottom: put the largest width on top.
        var values = new double[sortedWidths.Length, alphas.Length];
        for (int i = 0; i < sortedWidths.Length; i++)
            for (int j = 0; j < alphas.Length; j++)
            {
                var cell = cells.FirstOrDefault(c => c.Width == sortedWidths[sortedWidths.Length - 1 - i] && c.Alpha == alphas[j]);
                double v = cell?.Metrics[metric].Mean ?? double.NaN;
                values[i, j] = v > 0 ? Math.Log10(v) : double.NaN;
            }
        var plot = New($"Phase diagram ({p.Name()}): log10 {label}", "output scale α", "width n");
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        // The extent names the centres of the corner cells (the map adds half a cell on each side).
        map.Extent = new CoordinateRect(0, alphas.Length - 1, 0, sortedWidths.Length - 1);
        plot.Add.ColorBar(map);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, alphas.Length).Select(i => (double)i).ToArray(), alphas.Select(a => a.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Left.SetTicks(Enumerable.Range(0, sortedWidths.Length).Select(i => (double)i).ToArray(), sortedWidths.Select(w => w.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        for (int i = 0; i < sortedWidths.Length; i++)
            for (int j = 0; j < alphas.Length; j++)
                if (double.IsFinite(values[sortedWidths.Length - 1 - i, j]))
                {
                    var text = plot.Add.Text(Math.Pow(10, values[sortedWidths.Length - 1 - i, j]).ToString("G2", System.Globalization.CultureInfo.InvariantCulture), j, i);
                    text.LabelFontColor = Colors.White;
                    text.LabelAlignment = Alignment.MiddleCenter;
                }
        return PlotFile.Save(plot, stem);
    }

    /// <summary>Series told apart by marker shape (dash patterns make SkiaSharp's SVG writer print warnings to stdout).</summary>
    private enum Style { Filled, Open, Triangle }

    private static void Apply(ScottPlot.Plottables.Scatter line, Style style)
    {
        line.MarkerSize = 7;
        line.MarkerShape = style switch { Style.Filled => MarkerShape.FilledCircle, Style.Open => MarkerShape.OpenSquare, _ => MarkerShape.OpenTriangleUp };
        if (style != Style.Filled) line.LineWidth = 1.5f;
    }

    private static string Slope(SlopeFit? f) => f is null ? "" : FormattableString.Invariant($" (slope {f.Value:0.00})");

    private static Plot New(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return plot;
    }

    private static void Line(Plot plot, double[] x, IEnumerable<double> y, string label, Style style, int colour)
    {
        var line = plot.Add.ScatterLine(x, LogAxes.Log10(y));
        line.LineWidth = 2;
        Apply(line, style);
        line.Color = new ScottPlot.Palettes.Category10().GetColor(colour);
        line.LegendText = label;
    }

    private static void ErrorLine(Plot plot, double[] x, IEnumerable<MeanError> values, string label, Style style, int colour)
    {
        var v = values.ToArray();
        var y = LogAxes.Log10(v.Select(m => m.Mean));
        var line = plot.Add.ScatterLine(x, y);
        line.LineWidth = 2;
        Apply(line, style);
        line.Color = new ScottPlot.Palettes.Category10().GetColor(colour);
        line.LegendText = label;
        // Error bars in log space: from log10(mean − SE) to log10(mean + SE).
        var up = v.Select((m, i) => double.IsFinite(m.StandardError) ? LogAxes.Log10([m.Mean + m.StandardError])[0] - y[i] : 0).Select(d => double.IsFinite(d) ? d : 0).ToArray();
        var down = v.Select((m, i) => double.IsFinite(m.StandardError) && m.Mean > m.StandardError ? y[i] - LogAxes.Log10([m.Mean - m.StandardError])[0] : 0).Select(d => double.IsFinite(d) ? d : 0).ToArray();
        var bars = plot.Add.ErrorBar(x, y, up.Zip(down, Math.Max).ToArray());
        bars.Color = line.Color;
    }
}
