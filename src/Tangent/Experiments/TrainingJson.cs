using System.Text.Json;
using System.Text.Json.Serialization;
using Tangent.IO;
using Tangent.Networks;
using Tangent.Training;

namespace Tangent.Experiments;

/// <summary>JSON forms of training runs: records as JSON lines (snake_case, NaN as "NaN"), configurations as plain objects.</summary>
public static class TrainingJson
{
    /// <summary>The serializer options for records.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>Indented variant of <see cref="Options"/>.</summary>
    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };

    /// <summary>One record as one line of JSON.</summary>
    public static string Line(TrainingRecord record) => JsonSerializer.Serialize(record, Options);

    /// <summary>Reads a record back.</summary>
    public static TrainingRecord ParseRecord(string json) => JsonSerializer.Deserialize<TrainingRecord>(json, Options) ?? throw new DataFormatException("empty training record");

    /// <summary>The configuration as a JSON-ready dictionary (enum names as on the command line).</summary>
    public static Dictionary<string, object?> Config(TrainingRunConfig c) => new()
    {
        ["task"] = c.Task,
        ["architecture"] = c.Architecture,
        ["width"] = c.Width,
        ["parameterization"] = c.Parameterization.Name(),
        ["seed"] = c.Seed,
        ["data_seed"] = c.DataSeed,
        ["train"] = c.TrainCount,
        ["test"] = c.TestCount,
        ["probe"] = c.ProbeCount,
        ["loss"] = c.Loss?.Name(),
        ["alpha"] = c.Alpha,
        ["init_scale"] = c.InitScale,
        ["linearize"] = c.Linearize,
        ["optimizer"] = c.Trainer.Optimizer.Name(),
        ["learning_rate"] = c.Trainer.LearningRate,
        ["batch_size"] = c.Trainer.BatchSize,
        ["momentum"] = c.Trainer.Momentum,
        ["weight_decay"] = c.Trainer.WeightDecay,
        ["schedule"] = c.Trainer.Schedule.ToString(),
        ["steps"] = c.Trainer.Steps,
        ["observe"] = c.StepsToObserve(),
    };

    /// <summary>Writes the records as JSON lines to <paramref name="path"/>, atomically.</summary>
    public static void WriteLines(string path, IEnumerable<TrainingRecord> records) =>
        AtomicFile.Write(path, s =>
        {
            using var w = new StreamWriter(s);
            foreach (var r in records) w.WriteLine(Line(r));
        });
}
