using System.Globalization;
using ScottPlot;
using Tangent.IO;
using Tangent.Reports;

namespace Tangent.Experiments.Mup;

/// <summary>
/// The figures of the μP experiments. The coordinate check follows the mup package's plots: one panel per step t, the
/// width on a log x axis, the typical coordinate size on a log y axis, one line per layer; one row of panels per
/// (parameterisation, optimiser), SP above μP. The transfer figure is Tensor Programs V's Figure 1: final training loss
/// against log₂ learning rate, one curve per width, SP beside μP.
/// </summary>
public static class MupPlots
{
    /// <summary>Writes <c>coord_check_change</c> and <c>coord_check_size</c> (PNG and SVG) into <paramref name="directory"/>; returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(CoordCheckResult result, string directory)
    {
        var paths = new List<string>();
        paths.AddRange(Save(CoordGrid(result, p => p.Change, "RMS of x_t − x_0"), Path.Combine(directory, "coord_check_change"), result));
        paths.AddRange(Save(CoordGrid(result, p => p.Size, "RMS of x_t"), Path.Combine(directory, "coord_check_size"), result));
        return paths;
    }

    /// <summary>Writes <c>transfer</c> (PNG and SVG) into <paramref name="directory"/>; returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(TransferResult result, string directory)
    {
        var figure = Transfer(result);
        var stem = Path.Combine(directory, "transfer");
        return SaveMulti(figure, stem, 560 * result.Options.Parameterizations.Count, 480);
    }

    /// <summary>The coordinate-check grid: rows (parameterisation, optimiser), columns steps 1..T.</summary>
    public static Multiplot CoordGrid(CoordCheckResult result, Func<CoordCheckPanel, double[][][]> pick, string quantity)
    {
        int rows = result.Panels.Count, cols = result.Options.Steps;
        var figure = new Multiplot();
        figure.AddPlots(rows * cols);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, cols);
        var widths = LogAxes.Log10(result.Options.Widths.Select(w => (double)w));
        var palette = new ScottPlot.Palettes.Category10();
        for (int r = 0; r < rows; r++)
        {
            var panel = result.Panels[r];
            var cube = pick(panel);
            for (int t = 1; t <= cols; t++)
            {
                var plot = figure.GetPlot(r * cols + t - 1);
                plot.Title($"{MupNames.Label(panel.Parameterization)} {MupNames.Label(panel.Optimizer)} lr={panel.LearningRate.ToString("G3", CultureInfo.InvariantCulture)}, t={t}", 11);
                plot.XLabel("width", 10);
                if (t == 1) plot.YLabel(quantity, 10);
                for (int l = 0; l < result.Layers.Count; l++)
                {
                    var line = plot.Add.ScatterLine(widths, LogAxes.Log10(cube[t].Select(row => row[l])));
                    line.LineWidth = 1.5f;
                    line.MarkerSize = 4;
                    line.Color = palette.GetColor(l);
                    if (r == 0 && t == cols) line.LegendText = result.Layers[l];
                }
                LogAxes.Apply(plot.Axes.Bottom);
                LogAxes.Apply(plot.Axes.Left);
                KeepAtLeastOneDecade(plot, cube[t]);
                if (r == 0 && t == cols) plot.ShowLegend(Alignment.UpperLeft);
            }
        }
        return figure;
    }

    // Autoscaling would stretch a flat line's rounding-level wiggles over the whole panel; a flat curve should look flat,
    // so every panel shows at least one decade.
    private static void KeepAtLeastOneDecade(Plot plot, double[][] values)
    {
        var logs = LogAxes.Log10(values.SelectMany(row => row)).Where(double.IsFinite).ToArray();
        if (logs.Length == 0) return;
        double low = logs.Min(), high = logs.Max();
        if (high - low >= 1) return;
        double middle = (low + high) / 2;
        plot.Axes.SetLimitsY(middle - 0.55, middle + 0.55);
    }

    /// <summary>Final loss against log₂ learning rate, one curve per width, one panel per parameterisation.</summary>
    public static Multiplot Transfer(TransferResult result)
    {
        var o = result.Options;
        var figure = new Multiplot();
        figure.AddPlots(o.Parameterizations.Count);
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var x = o.Log2LearningRates.ToArray();
        var colormap = new ScottPlot.Colormaps.Viridis();
        // Losses near the optimum differ by factors, not by amounts: a log axis shows where each curve bottoms out.
        // A diverged run has no loss to draw (a gap in its curve).
        for (int pi = 0; pi < o.Parameterizations.Count; pi++)
        {
            var p = o.Parameterizations[pi];
            var plot = figure.GetPlot(pi);
            plot.Title($"{MupNames.Label(p)}, {MupNames.Label(o.Optimizer)}, {o.Steps} steps on {o.Task}");
            plot.XLabel("log₂ learning rate");
            plot.YLabel("training loss after training");
            var sweeps = result.Of(p);
            for (int k = 0; k < sweeps.Count; k++)
            {
                var s = sweeps[k];
                var line = plot.Add.ScatterLine(x, LogAxes.Log10(s.FinalLoss));
                line.LineWidth = 2;
                line.MarkerSize = 5;
                line.Color = colormap.GetColor(sweeps.Count == 1 ? 0 : 0.9 * k / (sweeps.Count - 1));
                line.LegendText = $"width {s.Width}";
                if (!double.IsNaN(s.BestLog2LearningRate))
                {
                    var best = plot.Add.Marker(s.BestLog2LearningRate, Math.Log10(s.FinalLoss[Array.IndexOf(x, s.BestLog2LearningRate)]), MarkerShape.OpenCircle, 14);
                    best.Color = line.Color;
                }
            }
            LogAxes.Apply(plot.Axes.Left);
            plot.ShowLegend(Alignment.UpperLeft);
        }
        return figure;
    }

    private static string[] Save(Multiplot figure, string stem, CoordCheckResult result) =>
        SaveMulti(figure, stem, 300 * result.Options.Steps, 260 * result.Panels.Count);

    private static string[] SaveMulti(Multiplot figure, string stem, int width, int height)
    {
        byte[] png;
        using (var image = figure.Render(width, height)) png = image.GetImageBytes(ImageFormat.Png);
        // ScottPlot's multiplots render to any Skia canvas; Skia's SVG canvas gives the vector version.
        byte[] svg;
        using (var buffer = new MemoryStream())
        {
            using (var canvas = SkiaSharp.SKSvgCanvas.Create(new SkiaSharp.SKRect(0, 0, width, height), buffer)) figure.Render(canvas, new PixelRect(0, width, height, 0));
            svg = buffer.ToArray();
        }
        string pngPath = stem + ".png", svgPath = stem + ".svg";
        AtomicFile.Write(pngPath, s => s.Write(png));
        AtomicFile.Write(svgPath, s => s.Write(svg));
        return [pngPath, svgPath];
    }
}
