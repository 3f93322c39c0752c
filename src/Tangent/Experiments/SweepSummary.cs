using System.Text.Json;
using Tangent.Empirical;
using Tangent.IO;
using Tangent.Networks;

namespace Tangent.Experiments;

/// <summary>Mean and standard error over seeds.</summary>
/// <param name="Mean">The mean.</param>
/// <param name="StandardError">Sample standard deviation / √k (NaN for one seed).</param>
/// <param name="Count">Seeds with a finite value.</param>
public readonly record struct MeanError(double Mean, double StandardError, int Count)
{
    /// <summary>Mean ± SE of the finite values.</summary>
    public static MeanError Of(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0) return new(double.NaN, double.NaN, 0);
        double mean = v.Average();
        double se = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1) / v.Length) : double.NaN;
        return new(mean, se, v.Length);
    }
}

/// <summary>One cell of the grid, seeds pooled: final-step measurements as mean ± SE.</summary>
public sealed record SweepGroup(NetworkParameterization Parameterization, double? Alpha, double LearningRate, int Width, IReadOnlyDictionary<string, MeanError> Metrics, IReadOnlyList<SweepPointResult> Points);

/// <summary>A log-log slope against width with its 95 % interval.</summary>
public sealed record SlopeFit(double Value, double Low, double High, int Points);

/// <summary>Width-scaling fits of one (parameterisation, α, rate) series.</summary>
public sealed record SweepFits(NetworkParameterization Parameterization, double? Alpha, double LearningRate, SlopeFit? KernelChange, SlopeFit? ParamChange, SlopeFit? OutputGap);

/// <summary>
/// Aggregates finished sweep points: mean ± standard error over seeds of the final measurements per grid cell, and
/// log-log fits against width (over every seed's point, 95 % Student-t interval) of kernel movement, parameter movement
/// and ‖f − f_lin‖ per (parameterisation, α, learning rate).
/// </summary>
public sealed class SweepSummary
{
    /// <summary>Builds the summary.</summary>
    public SweepSummary(Sweep sweep, IReadOnlyList<SweepPointResult> points)
    {
        Sweep = sweep;
        Groups = points.GroupBy(p => (p.Config.Parameterization, p.Config.Alpha, p.Config.Trainer.LearningRate, p.Config.Width))
            .Select(g =>
            {
                var list = g.ToList();
                var names = list[0].Final.Scalars.Keys;
                return new SweepGroup(g.Key.Parameterization, g.Key.Alpha, g.Key.LearningRate, g.Key.Width,
                    names.ToDictionary(n => n, n => MeanError.Of(list.Select(p => p.Final.Scalars[n]))), list);
            }).ToList();
        Fits = Groups.GroupBy(g => (g.Parameterization, g.Alpha, g.LearningRate)).Select(s =>
        {
            var pts = s.SelectMany(g => g.Points).ToList();
            return new SweepFits(s.Key.Parameterization, s.Key.Alpha, s.Key.LearningRate,
                Fit(pts, p => p.Final.KernelChange), Fit(pts, p => p.Final.ParamChange), Fit(pts, p => p.Final.OutputGap));
        }).ToList();
    }

    /// <summary>The sweep.</summary>
    public Sweep Sweep { get; }
    /// <summary>Grid cells, in the sweep's order.</summary>
    public IReadOnlyList<SweepGroup> Groups { get; }
    /// <summary>Width fits per series.</summary>
    public IReadOnlyList<SweepFits> Fits { get; }

    /// <summary>
    /// The headline fit of each parameterisation (<c>fits.NAME</c> in results.json): the series with the grid's first α and
    /// first learning rate.
    /// </summary>
    public IEnumerable<SweepFits> HeadlineFits => Fits.Where(f => Nullable.Equals(f.Alpha, Sweep.Grid.Alphas[0]) && f.LearningRate == Sweep.Grid.LearningRates[0]);

    private static SlopeFit? Fit(IReadOnlyList<SweepPointResult> points, Func<SweepPointResult, double> value)
    {
        var usable = points.Where(p => value(p) > 0 && double.IsFinite(value(p))).ToList();
        if (usable.Select(p => p.Config.Width).Distinct().Count() < 2) return null;
        var fit = LogLogFit.Fit(usable.Select(p => (double)p.Config.Width).ToList(), usable.Select(value).ToList());
        return new SlopeFit(fit.Slope, fit.SlopeLow, fit.SlopeHigh, usable.Count);
    }

    /// <summary>Writes DIR/results.json atomically.</summary>
    public void Write(string path)
    {
        static object? Fit(SlopeFit? f) => f is null ? null : new Dictionary<string, object?>
        {
            ["value"] = f.Value, ["ci"] = new double?[] { Finite(f.Low), Finite(f.High) }, ["points"] = f.Points,
        };
        static Dictionary<string, object?> Series(SweepFits f) => new()
        {
            ["alpha"] = f.Alpha, ["learning_rate"] = f.LearningRate,
            ["kernel_change_slope"] = Fit(f.KernelChange), ["param_change_slope"] = Fit(f.ParamChange), ["output_gap_slope"] = Fit(f.OutputGap),
        };
        var template = TrainingJson.Config(Sweep.Template);
        foreach (var key in new[] { "width", "parameterization", "seed", "alpha", "learning_rate" }) template.Remove(key);
        var json = new Dictionary<string, object?>
        {
            ["settings"] = template,
            ["grid"] = new Dictionary<string, object?>
            {
                ["widths"] = Sweep.Grid.Widths, ["parameterizations"] = Sweep.Grid.Parameterizations.Select(p => p.Name()).ToArray(),
                ["alphas"] = Sweep.Grid.Alphas, ["learning_rates"] = Sweep.Grid.LearningRates, ["seeds"] = Sweep.Grid.Seeds,
            },
            ["measure"] = "final step; mean and standard error over seeds; fits: least squares of ln(value) on ln(width) over every seed's point, 95% Student-t interval",
            ["fits"] = HeadlineFits.ToDictionary(f => f.Parameterization.Name(), f => (object?)Series(f)),
            ["fits_by_series"] = Fits.Select(f => { var d = Series(f); d["parameterization"] = f.Parameterization.Name(); return d; }).ToArray(),
            ["groups"] = Groups.Select(g => new Dictionary<string, object?>
            {
                ["parameterization"] = g.Parameterization.Name(), ["alpha"] = g.Alpha, ["learning_rate"] = g.LearningRate, ["width"] = g.Width,
                ["seeds"] = g.Points.Count,
                ["metrics"] = g.Metrics.ToDictionary(m => m.Key, m => new Dictionary<string, object?> { ["mean"] = Finite(m.Value.Mean), ["se"] = Finite(m.Value.StandardError) }),
            }).ToArray(),
        };
        AtomicFile.Write(path, s => JsonSerializer.Serialize(s, json, TrainingJson.Indented));
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
