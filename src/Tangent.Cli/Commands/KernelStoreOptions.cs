using System.CommandLine;
using System.Globalization;
using Tangent.IO;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Sharding;
using Tangent.Specs;

namespace Tangent.Cli;

/// <summary>
/// The tile-store options of <c>tangent kernel</c> (<c>--store DIR</c>, <c>--shard I/N</c>, <c>--workers K</c>,
/// <c>--tile T</c>) and what runs when they are given: the kernel is computed tile by tile into a store, one shard or
/// all of them, resuming whatever an earlier run left done.
/// </summary>
internal sealed class KernelStoreOptions
{
    /// <summary>Set to a number of milliseconds, each tile waits that long between writing and committing: lets tests kill a shard mid-write.</summary>
    public const string PauseVariable = "TANGENT_TEST_TILE_PAUSE_MS";

    private readonly Option<string?> _store = new("--store") { Description = "compute the kernel into a tile store DIR (one .npy per tile and a manifest; resumable); see 'tangent store'" };
    private readonly Option<string?> _shard = new("--shard") { Description = "with --store: compute only shard I of N, counting from 0 (e.g. $SLURM_ARRAY_TASK_ID/16)" };
    private readonly Option<int?> _workers = new("--workers") { Description = "with --store: run all shards with K local workers (a new store is split into K shards)" };
    private readonly Option<int?> _tile = new("--tile") { Description = $"with --store: rows and columns of a tile (default {KernelStoreJob.DefaultTileSize}, or the store's)" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public static KernelStoreOptions AddTo(Command command)
    {
        var o = new KernelStoreOptions();
        command.Options.Add(o._store);
        command.Options.Add(o._shard);
        command.Options.Add(o._workers);
        command.Options.Add(o._tile);
        return o;
    }

    /// <summary>Whether any of the store options was given.</summary>
    public bool Requested(ParseResult p) =>
        p.GetValue(_store) is not null || p.GetValue(_shard) is not null || p.GetValue(_workers) is not null || p.GetValue(_tile) is not null;

    /// <summary>Computes the requested shard(s) into the store. Inputs arrive read, checked and scaled.</summary>
    public int Run(ParseResult p, Architecture architecture, NdArray x1, NdArray? x2, TensorShape shape, bool ntk, bool float32, bool quiet, string? outPath, string preprocessing)
    {
        string dir = p.GetValue(_store) ?? throw new UsageException("--shard, --workers and --tile go with --store DIR");
        if (outPath is not null)
            throw new UsageException("give --out FILE (one kernel file) or --store DIR (a tile store), not both; 'tangent store merge DIR --out FILE' turns a store into one file");
        ShardSpec? shard = p.GetValue(_shard) is { } text ? ShardSpec.Parse(text) : null;
        int? workers = p.GetValue(_workers);
        if (workers is < 1) throw new UsageException($"--workers must be at least 1, got {workers}");
        if (shard is not null && workers is not null)
            throw new UsageException("--shard runs one shard; --workers runs all of them locally: give one of them");

        // Reruns need not repeat --tile or the shard count: an existing store supplies them (and refuses a contradiction).
        StoreManifest? existing = File.Exists(Path.Combine(dir, TileStore.ManifestFile)) ? TileStore.Open(dir).Manifest : null;
        int shards = shard?.Count ?? existing?.Shards ?? workers ?? 1;
        int tile = p.GetValue(_tile) ?? existing?.TileSize ?? KernelStoreJob.DefaultTileSize;
        var job = new KernelStoreJob(architecture, InputFiles.ToMatrix<double>(x1), shape, x2 is null ? null : InputFiles.ToMatrix<double>(x2),
            ntk, float32, tile, preprocessing);
        var store = TileStore.CreateOrOpen(dir, job.Manifest(shards));

        var log = quiet ? null : new Action<string>(line => Console.Error.WriteLine(line));
        log?.Invoke($"store {store.Directory}: {store.Describe()}");
        using var interruption = new Interruption();
        var pause = Environment.GetEnvironmentVariable(PauseVariable) is { Length: > 0 } ms && int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out int pauseMs)
            ? TimeSpan.FromMilliseconds(pauseMs) : TimeSpan.Zero;
        ShardRunOptions Options(IProgress<double> progress) => new() { Progress = progress, Log = log, Cancellation = interruption.Token, PauseBeforeCommit = pause };
        try
        {
            if (shard is { } s)
            {
                log?.Invoke($"shard {s}: {store.Grid.TilesOf(s).Count()} of {store.Grid.Tiles.Count} tiles");
                ConsoleProgress.Run($"shard {s}", pr => job.RunShard(store, s, Options(pr)), quiet);
            }
            else
            {
                int k = workers ?? 1;
                ConsoleProgress.Run($"tiles ({k} worker{(k == 1 ? "" : "s")})", pr => LocalWorkers.Run(store, job, k, Options(pr)), quiet);
            }
        }
        catch (OperationCanceledException) when (interruption.Token.IsCancellationRequested)
        {
            Console.Error.WriteLine($"tangent: interrupted; finished tiles stay in {store.Directory}, and running the same command again resumes");
            return 130;
        }
        if (!quiet)
        {
            var status = StoreStatus.Collect(store);
            Console.Error.WriteLine(status.Complete
                ? $"store complete ({status.Tiles} tiles, {MemoryBudget.Format(status.Bytes)}); merge with: tangent store merge {dir} --out kernel.npy"
                : $"store: {status.Done} of {status.Tiles} tiles done; shards with work left: {string.Join(", ", status.Incomplete.Take(10))}{(status.Incomplete.Count() > 10 ? ", ..." : "")}");
        }
        return CliApp.Ok;
    }
}
