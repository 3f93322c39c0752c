using System.Text.Json;
using Tangent.Experiments;

namespace Tangent.Reports;

/// <summary>
/// <c>verdict.json</c>: the verdict, per metric the models' values (mean, standard error, interval, every seed) and the
/// network's comparisons with each model, the curves against n, and the experiment's settings.
/// </summary>
public static class FalsifierJson
{
    /// <summary>The document as UTF-8 bytes.</summary>
    public static byte[] Render(FalsifierResult r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("verdict", r.Primary.Verdict.Name());
            w.WriteString("primary_metric", r.Primary.Metric.Name());
            w.WriteString("reason", r.Primary.Reason);
            w.WriteString("reading", FalsifierText.Reading(r));
            w.WriteString("task", r.Task);
            w.WriteString("architecture", r.Architecture);
            w.WriteStartArray("models");
            foreach (var m in r.Models) w.WriteStringValue(m);
            w.WriteEndArray();
            w.WriteStartArray("seeds");
            foreach (var s in r.Seeds) w.WriteNumberValue(s);
            w.WriteEndArray();
            w.Integers("train_sizes", r.TrainSizes.ToArray());
            w.WriteString("decision_rule", FalsifierText.Rule(r));

            w.WriteStartArray("metrics");
            foreach (var v in r.Verdicts)
            {
                w.WriteStartObject();
                w.WriteString("metric", v.Metric.Name());
                w.WriteString("verdict", v.Verdict.Name());
                w.WriteBoolean("higher_is_better", v.HigherIsBetter);
                w.Number("margin", v.Margin);
                w.Number("confidence", r.Experiment.Confidence);
                w.WriteString("reason", v.Reason);
                w.WriteStartObject("values");
                foreach (var m in r.Models)
                {
                    w.WriteStartObject(m);
                    Interval(w, v.Values[m]);
                    w.Numbers("per_seed", v.PerSeed[m]);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteStartArray("comparisons");
                foreach (var c in v.Comparisons)
                {
                    w.WriteStartObject();
                    w.WriteString("model", c.Model);
                    w.WriteString("difference", "network minus model, signed so that positive means the network is better");
                    Interval(w, c.Difference);
                    w.Number("effect_size_dz", c.EffectSize);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartObject("curves");
            Curves(w, "test_accuracy", r.Accuracy, r);
            Curves(w, "relative_test_mse", r.RelativeMse, r);
            w.WriteEndObject();

            if (r.Captured is not null)
            {
                w.WriteStartObject("spectral_bias");
                w.Integers("frequencies", r.Frequencies!.ToArray());
                w.WriteStartObject("captured_per_seed");
                foreach (var m in r.Models) Rows(w, m, r.Captured[m]);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            if (r.Diagnostics?.Movement is { } movement)
            {
                w.WriteStartObject("kernel_movement");
                w.WriteNumber("seed", r.Diagnostics.Seed);
                w.WriteNumber("train_size", r.Diagnostics.TrainSize);
                w.Integers("steps", movement.Steps);
                w.Numbers("relative_change", movement.RelativeChange);
                w.Numbers("target_alignment", movement.TargetAlignment);
                w.WriteEndObject();
            }

            w.WriteStartObject("experiment");
            var e = r.Experiment;
            w.WriteStartObject("task");
            w.WriteString("name", e.Task.Name);
            if (e.Task.Dim is { } dim) w.WriteNumber("dim", dim);
            if (e.Task.Degree is { } degree) w.WriteNumber("degree", degree);
            if (e.Task.K is { } k) w.WriteNumber("k", k);
            if (e.Task.Frequencies is { } f) w.Integers("frequencies", f);
            if (e.Task.Noise != 0) w.Number("noise", e.Task.Noise);
            if (e.Task.Targets is { } t) w.WriteString("targets", t);
            w.WriteEndObject();
            w.WriteString("architecture", e.Architecture);
            w.WriteNumber("width", e.Width);
            w.WriteString("parameterization", e.Parameterization.ToString().ToLowerInvariant() switch { "meanfield" => "mean_field", var p => p });
            w.Number("alpha", e.Alpha);
            w.WriteStartObject("training");
            w.WriteString("optimizer", e.Training.Optimizer);
            w.Number("learning_rate", e.Training.LearningRate);
            w.WriteNumber("steps", e.Training.Steps);
            w.WriteNumber("batch_size", e.Training.BatchSize);
            w.WriteString("loss", "mse");
            w.WriteEndObject();
            w.Integers("train_sizes", e.TrainSizes.ToArray());
            w.WriteStartArray("metrics");
            foreach (var m in r.Verdicts) w.WriteStringValue(m.Metric.Name());
            w.WriteEndArray();
            w.WriteNumber("test_size", e.TestSize);
            w.WriteNumber("seeds", e.Seeds);
            w.WriteNumber("first_seed", e.FirstSeed);
            w.WriteBoolean("linearised", e.Linearised);
            w.Number("ridge", e.Ridge);
            if (e.Margin is { } margin) w.Number("margin", margin);
            w.Number("confidence", e.Confidence);
            w.WriteEndObject();
            w.Number("seconds", r.Seconds);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void Interval(Utf8JsonWriter w, SeedInterval i)
    {
        w.Number("mean", i.Mean);
        w.Number("std_error", i.StandardError);
        w.WriteStartArray("interval");
        foreach (double b in new[] { i.Low, i.High }) if (double.IsFinite(b)) w.WriteNumberValue(b); else w.WriteNullValue();
        w.WriteEndArray();
    }

    private static void Curves(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, double[,]>? tables, FalsifierResult r)
    {
        if (tables is null) return;
        w.WriteStartObject(name);
        foreach (var m in r.Models)
        {
            var t = tables[m];
            w.WriteStartObject(m);
            var mean = new double[t.GetLength(1)];
            var low = new double[mean.Length];
            var high = new double[mean.Length];
            for (int j = 0; j < mean.Length; j++)
            {
                var i = SeedInterval.Of(Enumerable.Range(0, t.GetLength(0)).Select(s => t[s, j]).ToArray(), r.Experiment.Confidence);
                (mean[j], low[j], high[j]) = (i.Mean, i.Low, i.High);
            }
            w.Numbers("mean", mean);
            w.Numbers("low", low);
            w.Numbers("high", high);
            w.WriteStartArray("per_seed");
            for (int s = 0; s < t.GetLength(0); s++)
            {
                w.WriteStartArray();
                for (int j = 0; j < t.GetLength(1); j++) if (double.IsFinite(t[s, j])) w.WriteNumberValue(t[s, j]); else w.WriteNullValue();
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void Rows(Utf8JsonWriter w, string name, double[,] t)
    {
        w.WriteStartArray(name);
        for (int s = 0; s < t.GetLength(0); s++)
        {
            w.WriteStartArray();
            for (int j = 0; j < t.GetLength(1); j++) if (double.IsFinite(t[s, j])) w.WriteNumberValue(t[s, j]); else w.WriteNullValue();
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
