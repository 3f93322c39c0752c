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

    /// <summary>
    /// Tiles computed at once (each on one thread, with a one-thread BLAS: see <see cref="ShardRunner"/>);
    /// default: one per core. Memory grows with it: each tile in flight holds its NNGP and NTK.
    /// </summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
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
/// corrupt one is recomputed, and a tile recomputed has the same bits as before (the computers are deterministic, and
/// the native BLAS is held to one thread per call while they run). A threaded BLAS splits a SYRK (X·Xᵀ of a diagonal
/// tile) differently for different thread counts, which changes the last bits, so a tile recomputed on a machine with
/// another core count, or under another OPENBLAS_NUM_THREADS, would differ; one thread per call is the count every
/// machine can reproduce. Several tiles are computed at once instead, up to <see cref="ShardRunOptions.Parallelism"/>.
/// </summary>
public static class ShardRunner
{
    /// <summary>Runs <paramref name="shard"/> of <paramref name="store"/> with <paramref name="computer"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="shard">Which shard; its count must be the store's.</param>
    /// <param name="computer">Computes one tile; called from up to <see cref="ShardRunOptions.Parallelism"/> threads at once.</param>
    /// <param name="options">Progress, log, cancellation, parallelism.</param>
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
        int computed = 0, skipped = 0, repaired = 0, settled = 0;
        long written = 0;
        Action? pause = options.PauseBeforeCommit > TimeSpan.Zero ? () => Thread.Sleep(options.PauseBeforeCommit) : null;
        void Settle() => options.Progress?.Report(Interlocked.Increment(ref settled) / (double)tiles.Count);

        using (Linalg.LinearAlgebra.PinNativeToOneThread())
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = options.Cancellation };
            RunParallel(() => Parallel.ForEach(tiles, parallel, () => new TileReader(store), (t, state, reader) =>
            {
                if (reader.TryRead(t, out _, out string? problem))
                {
                    Interlocked.Increment(ref skipped);
                    Settle();
                    return reader;
                }
                if (problem is not null) options.Log?.Invoke($"shard {shard}: tile {t.Name} is unusable ({problem}), recomputing it");
                var tileClock = Stopwatch.StartNew();
                T[] values = computer.Compute(t, options.Cancellation);
                double seconds = tileClock.Elapsed.TotalSeconds;
                options.Cancellation.ThrowIfCancellationRequested();
                var record = TileWriter.Write<T>(store, t, values, shard.ToString(), seconds, pause);
                Interlocked.Add(ref written, record.Bytes);
                Interlocked.Increment(ref computed);
                if (problem is not null) Interlocked.Increment(ref repaired);
                Settle();
                return reader;
            }, _ => { }));
        }
        var report = new ShardReport(shard, tiles.Count, computed, skipped, repaired, written, clock.Elapsed.TotalSeconds);
        options.Log?.Invoke(report.ToString());
        return report;
    }

    /// <summary>Rethrows the first failure of a parallel loop as itself (a one-line error), not wrapped.</summary>
    private static void RunParallel(Action loop)
    {
        try { loop(); }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            var first = e.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? e.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
    }
}
