using System.Diagnostics;
using Tangent.IO;

namespace Tangent.Sharding;

/// <summary>How a shard runs.</summary>
public sealed class ShardRunOptions
{
    /// <summary>Fraction of the shard's tiles settled (computed or found done), from 0 to 1.</summary>
    public IProgress<double>? Progress { get; init; }

    /// <summary>One line per noteworthy event (a repaired tile, the summary).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Stops between tiles and inside a tile's computation; finished tiles stay.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// Waits this long after a tile's data is written and before it is committed. For fault-injection tests only (a kill
    /// in the window leaves a temporary file, as a kill during a real write would); zero otherwise.
    /// </summary>
    public TimeSpan PauseBeforeCommit { get; init; }
}

/// <summary>What a shard run did.</summary>
/// <param name="Shard">Which shard.</param>
/// <param name="Tiles">Tiles the shard owns.</param>
/// <param name="Computed">Tiles computed and written by this run.</param>
/// <param name="Skipped">Tiles already done and verified.</param>
/// <param name="Repaired">Of the computed ones, those that were on disk but failed verification.</param>
/// <param name="BytesWritten">Bytes of tile files written.</param>
/// <param name="Seconds">Wall time of the run.</param>
public sealed record ShardReport(ShardSpec Shard, int Tiles, int Computed, int Skipped, int Repaired, long BytesWritten, double Seconds)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"shard {Shard}: {Computed} tile{(Computed == 1 ? "" : "s")} computed, {Skipped} already done{(Repaired > 0 ? $", {Repaired} corrupt one{(Repaired == 1 ? "" : "s")} recomputed" : "")}, " +
        $"{MemoryText(BytesWritten)} written, {Seconds:0.0} s";

    private static string MemoryText(long b) => Kernels.MemoryBudget.Format(b);
}

/// <summary>
/// Runs one shard of a store: every tile the shard owns that is not already done and verified is computed and committed.
/// Rerunning a finished or interrupted shard is safe and cheap: finished tiles are verified (checksum) and skipped, a
/// corrupt one is recomputed, and a tile recomputed has the same bits as before (the computers are deterministic).
/// </summary>
public static class ShardRunner
{
    /// <summary>Runs <paramref name="shard"/> of <paramref name="store"/> with <paramref name="computer"/>.</summary>
    /// <exception cref="DataFormatException">The shard count does not match the store's.</exception>
    public static ShardReport Run<T>(TileStore store, ShardSpec shard, ITileComputer<T> computer, ShardRunOptions? options = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(computer);
        options ??= new ShardRunOptions();
        if (shard.Count != store.Manifest.Shards)
            throw new DataFormatException($"{store.Directory}: the store is split into {store.Manifest.Shards} shards, so --shard must be I/{store.Manifest.Shards}, not {shard}");
        var clock = Stopwatch.StartNew();
        var tiles = store.Grid.TilesOf(shard).ToList();
        var reader = new TileReader(store);
        int computed = 0, skipped = 0, repaired = 0, settled = 0;
        long written = 0;
        Action? pause = options.PauseBeforeCommit > TimeSpan.Zero ? () => Thread.Sleep(options.PauseBeforeCommit) : null;
        foreach (var t in tiles)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            bool broken = false;
            if (reader.TryRead(t, out _, out string? problem))
            {
                skipped++;
                options.Progress?.Report(++settled / (double)tiles.Count);
                continue;
            }
            if (problem is not null)
            {
                broken = true;
                options.Log?.Invoke($"shard {shard}: tile {t.Name} is unusable ({problem}), recomputing it");
            }

            var tileClock = Stopwatch.StartNew();
            T[] values = computer.Compute(t, options.Cancellation);
            double seconds = tileClock.Elapsed.TotalSeconds;
            options.Cancellation.ThrowIfCancellationRequested();
            var record = TileWriter.Write<T>(store, t, values, shard.ToString(), seconds, pause);
            written += record.Bytes;
            computed++;
            if (broken) repaired++;
            options.Progress?.Report(++settled / (double)tiles.Count);
        }
        var report = new ShardReport(shard, tiles.Count, computed, skipped, repaired, written, clock.Elapsed.TotalSeconds);
        options.Log?.Invoke(report.ToString());
        return report;
    }
}
