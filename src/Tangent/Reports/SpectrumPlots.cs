using ScottPlot;
using Tangent.Spectra;

namespace Tangent.Reports;

/// <summary>The figures of <c>tangent spectrum</c>: eigenvalue decay, residual per mode over time, loss curves, learning curve.</summary>
public static class SpectrumPlots
{
    /// <summary>Writes every figure the report has data for into <paramref name="directory"/> (PNG and SVG); returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(SpectrumReport report, string directory)
    {
        var paths = new List<string>();
        paths.AddRange(PlotFile.Save(EigenvalueDecay(report), Path.Combine(directory, "eigenvalues")));
        if (report.ResidualPerMode is not null) paths.AddRange(PlotFile.Save(ModeResiduals(report), Path.Combine(directory, "mode_residuals")));
        if (report.TrainError is not null) paths.AddRange(PlotFile.Save(Losses(report), Path.Combine(directory, "loss_curves")));
        if (report.LearningCurve is not null) paths.AddRange(PlotFile.Save(LearningCurve(report), Path.Combine(directory, "learning_curve")));
        return paths;
    }

    /// <summary>λ_k against k on log–log axes; a power law λ_k ∝ k^(−α) is a straight line of slope −α.</summary>
    public static Plot EigenvalueDecay(SpectrumReport report)
    {
        var plot = NewPlot("Kernel eigenvalues", "mode k (largest first)", "eigenvalue λ_k");
        var ranks = LogAxes.Log10(Enumerable.Range(1, report.Size).Select(k => (double)k));
        var values = LogAxes.Log10(report.Eigenvalues);
        var line = plot.Add.ScatterLine(ranks, values);
        line.LineWidth = 2;
        line.LegendText = $"N = {report.Size}, effective rank {report.EntropyEffectiveRank:G3}";
        if (report.TargetPower is not null)
        {
            double total = report.TargetPower.Sum();
            var power = LogAxes.Log10(report.TargetPower.Select(p => total > 0 ? p / total * report.Trace : 0));
            var dots = plot.Add.ScatterPoints(ranks, power);
            dots.MarkerSize = 3;
            dots.LegendText = "target power |v_kᵀy|² per mode (scaled to sum to the trace)";
        }
        LogAxes.Apply(plot.Axes.Bottom);
        LogAxes.Apply(plot.Axes.Left);
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    /// <summary>|residual| along the top modes over time (log–log): each mode decays like exp(−a λ_k t), top modes first.</summary>
    public static Plot ModeResiduals(SpectrumReport report)
    {
        var plot = NewPlot("Residual per eigenmode during training", "time t", "|residual| along mode");
        var t = LogAxes.Log10(report.Times!);
        var palette = new ScottPlot.Palettes.Category10();
        double top = double.NegativeInfinity;
        for (int q = 0; q < report.Modes!.Length; q++)
        {
            var column = new double[report.Times!.Length];
            for (int j = 0; j < column.Length; j++) column[j] = report.ResidualPerMode![j, q];
            var logs = LogAxes.Log10(column);
            foreach (double v in logs) if (v > top) top = v;
            var line = plot.Add.ScatterLine(t, logs);
            line.LineWidth = 2;
            line.Color = palette.GetColor(q);
            line.LegendText = $"mode {report.Modes[q] + 1} (λ = {report.Eigenvalues[report.Modes[q]]:G3})";
        }
        LogAxes.Apply(plot.Axes.Bottom);
        LogAxes.Apply(plot.Axes.Left);
        // Each residual falls super-exponentially on a log time axis; twelve decades below the start show every mode's
        // decay without the plot being all tail.
        if (double.IsFinite(top)) plot.Axes.SetLimitsY(top - 12, top + 0.5);
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    /// <summary>Predicted training (and test) MSE over time.</summary>
    public static Plot Losses(SpectrumReport report)
    {
        var plot = NewPlot("Predicted loss curves (gradient flow on MSE)", "time t", "mean squared error");
        var t = LogAxes.Log10(report.Times!);
        var train = plot.Add.ScatterLine(t, LogAxes.Log10(report.TrainError!));
        train.LineWidth = 2;
        train.LegendText = "train";
        if (report.TestError is not null)
        {
            var test = plot.Add.ScatterLine(t, LogAxes.Log10(report.TestError));
            test.LineWidth = 2;
            test.LegendText = "test";
        }
        LogAxes.Apply(plot.Axes.Bottom);
        LogAxes.Apply(plot.Axes.Left);
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    /// <summary>Predicted test MSE against n (log–log), with the measured points and their spread when present.</summary>
    public static Plot LearningCurve(SpectrumReport report)
    {
        var plot = NewPlot("Learning curve: test error vs training-set size", "training samples n", "test mean squared error");
        var curve = report.LearningCurve!;
        var theory = plot.Add.ScatterLine(LogAxes.Log10(curve.Select(p => p.Samples)), LogAxes.Log10(curve.Select(p => p.TestError)));
        theory.LineWidth = 2;
        theory.LegendText = "theory (Bordelon, Canatar, Pehlevan)";
        if (report.MeasuredLearningCurve is { Length: > 0 } measured)
        {
            var x = LogAxes.Log10(measured.Select(p => (double)p.Samples));
            var y = LogAxes.Log10(measured.Select(p => p.TestError));
            var points = plot.Add.ScatterPoints(x, y);
            points.MarkerSize = 8;
            points.LegendText = "measured (kernel regression, mean of draws)";
            // Spread as vertical bars of ±1 standard deviation, in log coordinates.
            for (int i = 0; i < measured.Length; i++)
            {
                double lo = measured[i].TestError - measured[i].StandardDeviation, hi = measured[i].TestError + measured[i].StandardDeviation;
                if (!(measured[i].StandardDeviation > 0)) continue;
                var bar = plot.Add.Line(x[i], lo > 0 ? Math.Log10(lo) : y[i] - 1, x[i], Math.Log10(hi));
                bar.Color = points.Color;
                bar.LineWidth = 1.5f;
            }
        }
        LogAxes.Apply(plot.Axes.Bottom);
        LogAxes.Apply(plot.Axes.Left);
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    private static Plot NewPlot(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(0.05);
        plot.Grid.MinorLineWidth = 1;
        return plot;
    }
}
