namespace Tangent.Sharding;

/// <summary>
/// Pins the native BLAS to one thread while tiles are computed. A threaded BLAS splits a SYRK (X·Xᵀ of a diagonal
/// tile) between its threads differently for different thread counts, which changes the last bits of the result, so
/// a tile recomputed on a machine with another core count, or under another OPENBLAS_NUM_THREADS, would differ.
/// One thread per BLAS call is the only count every machine can reproduce; shards get their parallelism from
/// computing several tiles at once instead. Reference-counted: concurrent shard runs in one process share the pin,
/// and the last one out restores one thread per core.
/// </summary>
internal static class DeterministicBlas
{
    private static readonly object s_gate = new();
    private static int s_holders;

    /// <summary>Pins the BLAS to one thread until the result is disposed.</summary>
    public static IDisposable Pin()
    {
        lock (s_gate)
        {
            if (s_holders++ == 0) Linalg.LinearAlgebra.SetNativeThreads(1);
        }
        return new Release();
    }

    private sealed class Release : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0) return;
            lock (s_gate)
            {
                if (--s_holders == 0) Linalg.LinearAlgebra.SetNativeThreads(Environment.ProcessorCount);
            }
        }
    }
}
