namespace Tangent.Sharding;

/// <summary>
/// Pins the native BLAS to one thread while tiles are computed. A threaded BLAS splits a SYRK (X·Xᵀ of a diagonal
/// tile) between its threads differently for different thread counts, which changes the last bits of the result, so
/// a tile recomputed on a machine with another core count, or under another OPENBLAS_NUM_THREADS, would differ.
/// One thread per BLAS call is the only count every machine can reproduce; shards get their parallelism from
/// computing several tiles at once instead. The pin is <see cref="Linalg.LinearAlgebra.PinNativeToOneThread"/>'s,
/// shared with everything else in the process that needs one BLAS thread.
/// </summary>
internal static class DeterministicBlas
{
    /// <summary>Pins the BLAS to one thread until the result is disposed.</summary>
    public static IDisposable Pin() => Linalg.LinearAlgebra.PinNativeToOneThread();
}
