using System.Text.Json;
using Tangent.Networks;

namespace Tangent.Experiments;

/// <summary>
/// Reads an experiment from a small JSON file. Every key is optional (defaults as <see cref="Experiment"/>); unknown keys
/// are errors, so a typo never silently runs the default. Example:
/// <code>
/// { "task": {"name": "sparse-parity", "dim": 20, "k": 2},
///   "architecture": "dense(w=1.41) > relu > dense", "width": 256, "parameterization": "mup", "alpha": 1,
///   "training": {"optimizer": "gd", "learning_rate": 0.5, "steps": 400, "batch_size": 0},
///   "metrics": ["test-accuracy", "sample-efficiency"], "train_sizes": [50, 100, 200], "test_size": 500,
///   "seeds": 5, "first_seed": 0, "linearised": true, "ridge": 1e-6, "margin": 0.02, "confidence": 0.95 }
/// </code>
/// <c>"task"</c> may also be a plain string (a task name or a data file's path). The <c>"experiment"</c> block of a
/// <c>verdict.json</c> is such a file: a run can be repeated from its verdict.
/// </summary>
public static class ExperimentFile
{
    /// <summary>Reads and validates <paramref name="path"/>; throws <see cref="ExperimentException"/> with a one-line message naming the file and key.</summary>
    public static Experiment Read(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (FileNotFoundException) { throw new ExperimentException($"{path}: no such experiment file"); }
        catch (DirectoryNotFoundException) { throw new ExperimentException($"{path}: no such experiment file"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ExperimentException($"{path}: cannot read the experiment file ({e.Message})"); }
        var experiment = Parse(text, path);
        Relocate(ref experiment, path);
        return experiment;
    }

    /// <summary>Parses experiment JSON; <paramref name="source"/> names it in messages.</summary>
    public static Experiment Parse(string json, string source = "experiment")
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new ExperimentException($"{source}: not valid JSON (line {e.LineNumber + 1}: {FirstSentence(e.Message)})"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ExperimentException($"{source}: expected a JSON object {{...}} describing the experiment");
            var e = new Experiment();
            foreach (var p in root.EnumerateObject())
            {
                string at = $"{source}: \"{p.Name}\"";
                var v = p.Value;
                e = p.Name switch
                {
                    "task" => e with { Task = ReadTask(v, at, source) },
                    "architecture" => e with { Architecture = ReadArchitecture(v, at) },
                    "width" => e with { Width = Int(v, at) },
                    "parameterization" or "parameterisation" => e with { Parameterization = ParseParameterization(String(v, at), at) },
                    "alpha" => e with { Alpha = Number(v, at) },
                    "training" => e with { Training = ReadTraining(v, at, source) },
                    "metrics" => e with { Metrics = Array(v, at).Select(m => FalsifierMetrics.Parse(String(m, at), at)).ToArray() },
                    "metric" => e with { Metrics = [FalsifierMetrics.Parse(String(v, at), at)] },
                    "train_sizes" => e with { TrainSizes = Array(v, at).Select(x => Int(x, at)).ToArray() },
                    "test_size" => e with { TestSize = Int(v, at) },
                    "seeds" => e with { Seeds = Int(v, at) },
                    "first_seed" => e with { FirstSeed = (ulong)NonNegativeLong(v, at) },
                    "linearised" or "linearized" => e with { Linearised = Bool(v, at) },
                    "ridge" => e with { Ridge = Number(v, at) },
                    "margin" => e with { Margin = v.ValueKind == JsonValueKind.Null ? null : Number(v, at) },
                    "confidence" => e with { Confidence = Number(v, at) },
                    _ => throw new ExperimentException($"{at}: unknown key; known: task, architecture, width, parameterization, alpha, training, metrics, train_sizes, test_size, seeds, first_seed, linearised, ridge, margin, confidence"),
                };
            }
            try { e.Validate(); }
            catch (ExperimentException error) { throw new ExperimentException($"{source}: {error.Message}"); }
            return e;
        }
    }

    /// <summary>Parses a parameterisation name (ntk, standard, mup, mean_field).</summary>
    public static NetworkParameterization ParseParameterization(string name, string where) => name.Trim().ToLowerInvariant() switch
    {
        "ntk" => NetworkParameterization.Ntk,
        "standard" => NetworkParameterization.Standard,
        "mup" => NetworkParameterization.Mup,
        "mean_field" or "mean-field" => NetworkParameterization.MeanField,
        _ => throw new ExperimentException($"{where}: unknown parameterization '{name}'; use ntk, standard, mup or mean_field"),
    };

    // Relative data-file paths in an experiment file are relative to the file, as people expect of configuration.
    private static void Relocate(ref Experiment e, string path)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Resolve(string p) => Path.IsPathRooted(p) ? p : Path.Combine(dir, p);
        if (!BuiltInTasks.IsBuiltIn(e.Task.Name) && (e.Task.Name.Contains('/') || e.Task.Name.Contains('.')))
            e = e with { Task = e.Task with { Name = Resolve(e.Task.Name) } };
        if (e.Task.Targets is { } t) e = e with { Task = e.Task with { Targets = Resolve(t) } };
        if (e.Architecture.StartsWith('@')) e = e with { Architecture = "@" + Resolve(e.Architecture[1..]) };
    }

    private static TaskSpec ReadTask(JsonElement v, string at, string source)
    {
        if (v.ValueKind == JsonValueKind.String) return new TaskSpec { Name = v.GetString()! };
        if (v.ValueKind != JsonValueKind.Object) throw new ExperimentException($"{at}: expected a task name or an object like {{\"name\": \"sparse-parity\", \"dim\": 20, \"k\": 2}}");
        var t = new TaskSpec();
        bool named = false;
        foreach (var p in v.EnumerateObject())
        {
            string where = $"{source}: \"task.{p.Name}\"";
            named |= p.Name is "name" or "path";
            t = p.Name switch
            {
                "name" or "path" => t with { Name = String(p.Value, where) },
                "dim" => t with { Dim = Int(p.Value, where) },
                "degree" => t with { Degree = Int(p.Value, where) },
                "k" => t with { K = Int(p.Value, where) },
                "frequencies" => t with { Frequencies = Array(p.Value, where).Select(x => Int(x, where)).ToArray() },
                "noise" => t with { Noise = Number(p.Value, where) },
                "targets" => t with { Targets = String(p.Value, where) },
                _ => throw new ExperimentException($"{where}: unknown key; known: name, dim, degree, k, frequencies, noise, targets"),
            };
        }
        if (!named) throw new ExperimentException($"{at}: the task needs a \"name\" (a built-in task or a data file's path)");
        return t;
    }

    private static TrainingSpec ReadTraining(JsonElement v, string at, string source)
    {
        if (v.ValueKind != JsonValueKind.Object) throw new ExperimentException($"{at}: expected an object like {{\"optimizer\": \"gd\", \"learning_rate\": 0.5, \"steps\": 400}}");
        var t = new TrainingSpec();
        foreach (var p in v.EnumerateObject())
        {
            string where = $"{source}: \"training.{p.Name}\"";
            t = p.Name switch
            {
                "optimizer" or "optimiser" => t with { Optimizer = String(p.Value, where).Trim().ToLowerInvariant() },
                "learning_rate" or "lr" => t with { LearningRate = Number(p.Value, where) },
                "steps" => t with { Steps = Int(p.Value, where) },
                "batch_size" => t with { BatchSize = Int(p.Value, where) },
                // Kernel regression is the limit of training on MSE, so the falsifier trains on MSE only; the key is accepted
                // so that the "experiment" block of a verdict.json reads back as an experiment file.
                "loss" => String(p.Value, where).Trim().Equals("mse", StringComparison.OrdinalIgnoreCase) ? t
                    : throw new ExperimentException($"{where}: the falsifier trains on mse only (kernel regression is its limit), got \"{p.Value.GetString()}\""),
                _ => throw new ExperimentException($"{where}: unknown key; known: optimizer, learning_rate, steps, batch_size, loss"),
            };
        }
        return t;
    }

    private static string ReadArchitecture(JsonElement v, string at) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Array => v.GetRawText(),   // Architecture.Parse reads JSON text as well
        _ => throw new ExperimentException($"{at}: expected the text form (\"dense > relu > dense\") or a JSON list of layers"),
    };

    private static string String(JsonElement v, string at) =>
        v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new ExperimentException($"{at}: expected a string, got {Describe(v)}");

    private static bool Bool(JsonElement v, string at) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new ExperimentException($"{at}: expected true or false, got {Describe(v)}"),
    };

    private static double Number(JsonElement v, string at) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d) ? d : throw new ExperimentException($"{at}: expected a number, got {Describe(v)}");

    private static int Int(JsonElement v, string at) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i : throw new ExperimentException($"{at}: expected an integer, got {Describe(v)}");

    private static long NonNegativeLong(JsonElement v, string at) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long i) && i >= 0 ? i : throw new ExperimentException($"{at}: expected a non-negative integer, got {Describe(v)}");

    private static IEnumerable<JsonElement> Array(JsonElement v, string at) =>
        v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToArray() : throw new ExperimentException($"{at}: expected a list [...], got {Describe(v)}");

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"\"{v.GetString()}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => v.GetRawText(),
    };

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message.TrimEnd('.');
    }
}
