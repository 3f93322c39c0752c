using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tangent.IO;

namespace Tangent.Experiments;

/// <summary>One finished point of a sweep, as stored in its file.</summary>
/// <param name="Config">The point's configuration.</param>
/// <param name="Records">Its measurements along training.</param>
/// <param name="Seconds">How long it took.</param>
public sealed record SweepPointResult(TrainingRunConfig Config, IReadOnlyList<TrainingRecord> Records, double Seconds)
{
    /// <summary>The end-of-training record.</summary>
    public TrainingRecord Final => Records[^1];
}

/// <summary>
/// A resumable sweep over a <see cref="SweepGrid"/>: each point is a <see cref="TrainingRun"/> whose result goes to its own
/// file <c>DIR/points/NAME.json</c>, written atomically once the point is finished. A restart reads the finished files and
/// computes only the missing points; a file computed with other settings is an error rather than silently mixed in.
/// </summary>
public sealed class Sweep
{
    private readonly IReadOnlyList<TrainingRunConfig> _points;

    /// <summary>A sweep of <paramref name="grid"/> around <paramref name="template"/>, stored in <paramref name="directory"/>.</summary>
    public Sweep(string directory, TrainingRunConfig template, SweepGrid grid)
    {
        Directory = directory;
        Grid = grid;
        Template = TrainingRun.Resolve(template);
        _points = grid.Expand(Template).Select(TrainingRun.Resolve).ToList();
    }

    /// <summary>The output directory.</summary>
    public string Directory { get; }
    /// <summary>The grid.</summary>
    public SweepGrid Grid { get; }
    /// <summary>The settings shared by every point (task defaults filled in).</summary>
    public TrainingRunConfig Template { get; }
    /// <summary>Every point's configuration.</summary>
    public IReadOnlyList<TrainingRunConfig> Points => _points;
    /// <summary>Where finished points are stored.</summary>
    public string PointsDirectory => Path.Combine(Directory, "points");

    /// <summary>The file of a point.</summary>
    public string PointPath(TrainingRunConfig c) => Path.Combine(PointsDirectory, SweepGrid.FileName(c));

    /// <summary>How many points are already finished on disk.</summary>
    public int FinishedCount => _points.Count(c => File.Exists(PointPath(c)));

    /// <summary>
    /// Computes the missing points (in order) and returns all results. <paramref name="log"/> gets one line per point;
    /// <paramref name="progress"/> the fraction of all points done.
    /// </summary>
    public IReadOnlyList<SweepPointResult> Run(IProgress<double>? progress = null, Action<string>? log = null, CancellationToken cancel = default)
    {
        System.IO.Directory.CreateDirectory(PointsDirectory);
        var results = new List<SweepPointResult>(_points.Count);
        for (int i = 0; i < _points.Count; i++)
        {
            var config = _points[i];
            string path = PointPath(config);
            if (File.Exists(path))
            {
                results.Add(Load(path, config));
                progress?.Report((i + 1.0) / _points.Count);
                continue;
            }
            var clock = Stopwatch.StartNew();
            int index = i;
            var inner = progress is null ? null : new Progress(f => progress.Report((index + f) / _points.Count));
            var run = TrainingRun.Run(config, null, inner, cancel);
            var result = new SweepPointResult(run.Config, run.Records, clock.Elapsed.TotalSeconds);
            Save(path, result);
            results.Add(result);
            log?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"[{i + 1}/{_points.Count}] {config.Label}: test loss {result.Final.TestLoss:G4}, kernel change {result.Final.KernelChange:G3}, param change {result.Final.ParamChange:G3} ({result.Seconds:0.0} s)"));
        }
        return results;
    }

    /// <summary>Writes a finished point atomically.</summary>
    public static void Save(string path, SweepPointResult r)
    {
        var json = new JsonObject
        {
            ["config"] = JsonSerializer.SerializeToNode(TrainingJson.Config(r.Config), TrainingJson.Options),
            ["seconds"] = r.Seconds,
            ["records"] = JsonSerializer.SerializeToNode(r.Records, TrainingJson.Options),
        };
        AtomicFile.Write(path, s => { using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = false }); json.WriteTo(w); });
    }

    /// <summary>Reads a finished point and checks that it was computed with <paramref name="expected"/>.</summary>
    /// <exception cref="DataFormatException">Unreadable, or computed with other settings.</exception>
    public static SweepPointResult Load(string path, TrainingRunConfig expected)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new DataFormatException($"{path}: not a sweep point file ({e.Message}); delete it to recompute the point"); }
        var stored = node?["config"]?.ToJsonString(TrainingJson.Options);
        var wanted = JsonSerializer.SerializeToNode(TrainingJson.Config(expected), TrainingJson.Options)!.ToJsonString(TrainingJson.Options);
        if (stored != wanted)
            throw new DataFormatException($"{path} was computed with other settings than this sweep's ({stored} vs {wanted}); use another --out or delete the file");
        var records = node!["records"].Deserialize<List<TrainingRecord>>(TrainingJson.Options) ?? throw new DataFormatException($"{path}: no records");
        if (records.Count == 0) throw new DataFormatException($"{path}: no records");
        return new SweepPointResult(expected, records, node["seconds"]?.GetValue<double>() ?? double.NaN);
    }

    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
