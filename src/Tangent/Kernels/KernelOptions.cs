namespace Tangent.Kernels;

/// <summary>What to compute and how.</summary>
public sealed class KernelOptions
{
    /// <summary>Compute the NTK (true by default). The NNGP is always computed; it is the NTK's building block.</summary>
    public bool Ntk { get; init; } = true;

    /// <summary>Side of the square tiles of pairs processed by one thread at a time (128 fits L2 with room).</summary>
    public int TileSize { get; init; } = 128;

    /// <summary>Most threads to use; -1 for all cores.</summary>
    public int MaxThreads { get; init; } = -1;

    /// <summary>Receives the fraction of work done, from worker threads.</summary>
    public IProgress<double>? Progress { get; init; }

    /// <summary>Stops the computation (throws <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Bytes the computation may allocate; null to use the memory available to the process.</summary>
    public long? MemoryLimitBytes { get; init; }
}

/// <summary>The analytic kernels of one pair of input sets; either may be null when not requested.</summary>
public sealed class KernelResult<T>(Linalg.Matrix<T> nngp, Linalg.Matrix<T>? ntk) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    /// <summary>The NNGP kernel, N1 x N2.</summary>
    public Linalg.Matrix<T> Nngp { get; } = nngp;

    /// <summary>The NTK, N1 x N2, or null when not requested.</summary>
    public Linalg.Matrix<T>? Ntk { get; } = ntk;
}
