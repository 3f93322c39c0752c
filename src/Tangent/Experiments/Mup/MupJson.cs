using System.Text.Json;
using Tangent.Empirical;
using Tangent.Reports;
using Tangent.Training;

namespace Tangent.Experiments.Mup;

/// <summary>
/// The JSON reports of the μP experiments: <c>coord_check.json</c> (slopes under <c>slopes.sp.&lt;layer&gt;</c> and
/// <c>slopes.mup.&lt;layer&gt;</c>) and <c>transfer.json</c> (best rates under <c>optimal_log2_lr.sp.&lt;width&gt;</c> and
/// <c>optimal_log2_lr.mup.&lt;width&gt;</c>). Non-finite numbers are written as null.
/// </summary>
public static class MupJson
{
    /// <summary>Tolerance of the μP criterion: every layer's slope within ±0.1.</summary>
    public const double MupSlopeTolerance = 0.1;
    /// <summary>The SP criterion: the readout's slope at least 0.3.</summary>
    public const double SpOutputSlopeMinimum = 0.3;

    /// <summary>Writes <paramref name="result"/> to <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, CoordCheckResult result) => JsonReport.Write(path, w =>
    {
        var o = result.Options;
        w.WriteStartObject();
        w.WriteString("experiment", "coord_check");
        w.WriteString("architecture", result.Architecture);
        w.WriteString("task", o.Task);
        w.WriteString("loss", result.Loss.Name());
        w.WriteString("mup_readout_init", o.MupReadout == MupReadoutInit.Zero ? "zero" : "table3");
        w.Integers("widths", o.Widths.ToArray());
        w.WriteNumber("steps", o.Steps);
        w.WriteNumber("batch", o.Batch);
        w.WriteNumber("seeds", o.Seeds);
        w.WriteNumber("seed", o.Seed);
        w.WriteStartObject("learning_rates");
        foreach (var opt in o.Optimizers) w.Number(MupNames.Short(opt), o.LearningRate(opt));
        w.WriteEndObject();
        w.WriteStartArray("layers");
        foreach (var l in result.Layers) w.WriteStringValue(l);
        w.WriteEndArray();
        w.WriteString("output_layer", result.OutputLayer);
        w.WriteString("slope_of", $"RMS of each layer's output change x_T - x_0 after T = {o.Steps} steps on a fixed probe batch, averaged over seeds, fitted as a power of the width (least squares on log-log)");
        w.WriteString("slopes_optimizer", MupNames.Short(o.Optimizers[0]));
        WriteSlopes(w, "slopes", result.Panels.Where(p => p.Optimizer == o.Optimizers[0]), result.Layers, p => p.ChangeFits);
        w.WriteStartObject("slopes_by_optimizer");
        foreach (var opt in o.Optimizers) WriteSlopes(w, MupNames.Short(opt), result.Panels.Where(p => p.Optimizer == opt), result.Layers, p => p.ChangeFits);
        w.WriteEndObject();
        w.WriteStartObject("size_slopes_by_optimizer");
        foreach (var opt in o.Optimizers) WriteSlopes(w, MupNames.Short(opt), result.Panels.Where(p => p.Optimizer == opt), result.Layers, p => p.SizeFits);
        w.WriteEndObject();
        w.WriteStartObject("criteria");
        foreach (var opt in o.Optimizers)
        {
            w.WriteStartObject(MupNames.Short(opt));
            var sp = result.Panels.FirstOrDefault(p => p.Optimizer == opt && p.Parameterization == Networks.NetworkParameterization.Standard);
            var mup = result.Panels.FirstOrDefault(p => p.Optimizer == opt && p.Parameterization == Networks.NetworkParameterization.Mup);
            if (sp is not null)
            {
                var fit = sp.ChangeFits[^1];
                w.WriteBoolean("sp_output_slope_at_least_0.3", fit is not null && fit.Slope >= SpOutputSlopeMinimum);
            }
            if (mup is not null)
                w.WriteBoolean("mup_every_slope_within_0.1", mup.ChangeFits.All(f => f is not null && Math.Abs(f.Slope) <= MupSlopeTolerance));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartArray("panels");
        foreach (var p in result.Panels)
        {
            w.WriteStartObject();
            w.WriteString("parameterization", MupNames.Short(p.Parameterization));
            w.WriteString("optimizer", MupNames.Short(p.Optimizer));
            w.Number("learning_rate", p.LearningRate);
            w.WriteStartArray("fits");
            for (int l = 0; l < result.Layers.Count; l++)
            {
                w.WriteStartObject();
                w.WriteString("layer", result.Layers[l]);
                WriteFit(w, "change", p.ChangeFits[l]);
                WriteFit(w, "size", p.SizeFits[l]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            WriteCube(w, "size", p.Size);
            WriteCube(w, "change", p.Change);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("array_layout", "size and change are [step 0..T][width][layer]");
        w.Number("seconds", result.Seconds);
        w.WriteEndObject();
    });

    /// <summary>Writes <paramref name="result"/> to <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, TransferResult result) => JsonReport.Write(path, w =>
    {
        var o = result.Options;
        w.WriteStartObject();
        w.WriteString("experiment", "transfer");
        w.WriteString("architecture", result.Architecture);
        w.WriteString("task", o.Task);
        w.WriteString("loss", result.Loss.Name());
        w.WriteString("mup_readout_init", o.MupReadout == MupReadoutInit.Zero ? "zero" : "table3");
        w.WriteString("optimizer", MupNames.Short(o.Optimizer));
        w.Integers("widths", o.Widths.ToArray());
        w.Numbers("log2_learning_rates", o.Log2LearningRates.ToArray());
        w.WriteNumber("steps", o.Steps);
        w.WriteNumber("batch", o.Batch);
        w.WriteNumber("seeds", o.Seeds);
        w.WriteNumber("seed", o.Seed);
        w.WriteString("final_loss_is", "training loss on the whole task after the last step, mean over seeds; null where a run diverged (loss not finite, or above its initial loss)");
        w.WriteStartObject("optimal_log2_lr");
        foreach (var p in o.Parameterizations)
        {
            w.WriteStartObject(MupNames.Short(p));
            foreach (var s in result.Of(p)) w.Number(s.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), s.BestLog2LearningRate);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartObject("optimal_log2_lr_shift");
        foreach (var p in o.Parameterizations) w.Number(MupNames.Short(p), result.Shift(p));
        w.WriteEndObject();
        w.WriteStartObject("small_width_best_diverges_at_largest_width");
        foreach (var p in o.Parameterizations)
        {
            if (result.SmallWidthBestDivergesAtLargest(p) is { } d) w.WriteBoolean(MupNames.Short(p), d);
            else w.WriteNull(MupNames.Short(p));
        }
        w.WriteEndObject();
        w.WriteStartArray("sweeps");
        foreach (var s in result.Sweeps)
        {
            w.WriteStartObject();
            w.WriteString("parameterization", MupNames.Short(s.Parameterization));
            w.WriteNumber("width", s.Width);
            w.Number("initial_loss", s.InitialLoss);
            w.Numbers("final_loss", s.FinalLoss);
            w.WriteStartArray("diverged");
            foreach (bool d in s.Diverged) w.WriteBooleanValue(d);
            w.WriteEndArray();
            w.Number("optimal_log2_lr", s.BestLog2LearningRate);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.Number("seconds", result.Seconds);
        w.WriteEndObject();
    });

    private static void WriteSlopes(Utf8JsonWriter w, string name, IEnumerable<CoordCheckPanel> panels, IReadOnlyList<string> layers, Func<CoordCheckPanel, IReadOnlyList<LogLogFit?>> fits)
    {
        w.WriteStartObject(name);
        foreach (var p in panels)
        {
            w.WriteStartObject(MupNames.Short(p.Parameterization));
            var f = fits(p);
            for (int l = 0; l < layers.Count; l++) w.Number(layers[l], f[l]?.Slope ?? double.NaN);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteFit(Utf8JsonWriter w, string name, LogLogFit? fit)
    {
        if (fit is null) { w.WriteNull(name); return; }
        w.WriteStartObject(name);
        w.Number("slope", fit.Slope);
        w.Numbers("interval", [fit.SlopeLow, fit.SlopeHigh]);
        w.Number("confidence", fit.Confidence);
        w.WriteEndObject();
    }

    private static void WriteCube(Utf8JsonWriter w, string name, double[][][] cube)
    {
        w.WriteStartArray(name);
        foreach (var step in cube)
        {
            w.WriteStartArray();
            foreach (var row in step)
            {
                w.WriteStartArray();
                foreach (double v in row) if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
