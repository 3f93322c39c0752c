using System.Collections.Concurrent;

namespace Tangent.Sharding;

/// <summary>
/// Runs the shards of a store with K workers in this process, as a small cluster would: each worker takes the next
/// shard not yet started and runs it to the end. The cores are shared out (each worker computes cores / K tiles at
/// once), which does not change any tile's bits. If one worker fails, the others stop at their next tile; finished tiles stay,
/// and running the command again resumes.
/// </summary>
public static class LocalWorkers
{
    /// <summary>Runs <paramref name="shards"/> (default: all of the store's) with <paramref name="workers"/> workers.</summary>
    public static IReadOnlyList<ShardReport> Run(TileStore store, KernelStoreJob job, int workers, ShardRunOptions? options = null, IEnumerable<int>? shards = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        options ??= new ShardRunOptions();
        int count = store.Manifest.Shards;
        var todo = new ConcurrentQueue<int>(shards ?? Enumerable.Range(0, count));
        workers = Math.Min(workers, Math.Max(1, todo.Count));
        int tilesEach = Math.Max(1, Environment.ProcessorCount / workers);

        var progress = options.Progress is null ? null : new Aggregate(options.Progress, store, count);
        var reports = new ConcurrentBag<ShardReport>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(options.Cancellation);
        Exception? first = null;
        var threads = Enumerable.Range(0, workers).Select(_ => Task.Factory.StartNew(() =>
        {
            try
            {
                while (!stop.IsCancellationRequested && todo.TryDequeue(out int i))
                {
                    var shard = new ShardSpec(i, count);
                    var own = new ShardRunOptions
                    {
                        Cancellation = stop.Token,
                        Log = options.Log,
                        PauseBeforeCommit = options.PauseBeforeCommit,
                        Progress = progress?.For(i),
                        Parallelism = tilesEach,
                    };
                    reports.Add(job.RunShard(store, shard, own));
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref first, e, null);
                stop.Cancel();
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(threads);
        if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        return [.. reports.OrderBy(r => r.Shard.Index)];
    }

    /// <summary>Turns each shard's fraction into the fraction of all tiles settled.</summary>
    private sealed class Aggregate(IProgress<double> target, TileStore store, int shardCount)
    {
        private readonly double[] _fraction = new double[shardCount];
        private readonly int[] _tiles = Enumerable.Range(0, shardCount).Select(i => store.Grid.TilesOf(new ShardSpec(i, shardCount)).Count()).ToArray();

        public IProgress<double> For(int shard) => new Part(this, shard);

        private void Report(int shard, double fraction)
        {
            double total;
            lock (_fraction)
            {
                _fraction[shard] = fraction;
                total = 0;
                for (int i = 0; i < _fraction.Length; i++) total += _fraction[i] * _tiles[i];
            }
            target.Report(total / Math.Max(1, store.Grid.Tiles.Count));
        }

        private sealed class Part(Aggregate owner, int shard) : IProgress<double>
        {
            public void Report(double value) => owner.Report(shard, value);
        }
    }
}
