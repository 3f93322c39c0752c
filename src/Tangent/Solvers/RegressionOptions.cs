namespace Tangent.Solvers;

/// <summary>How an out-of-core kernel regression is solved.</summary>
public sealed class RegressionOptions
{
    /// <summary>Ridge λ added to the diagonal: times trace(K)/N (neural-tangents' diag_reg) unless <see cref="AbsoluteRegularization"/>.</summary>
    public double DiagonalRegularization { get; init; }

    /// <summary>Add <see cref="DiagonalRegularization"/> as it is.</summary>
    public bool AbsoluteRegularization { get; init; }

    /// <summary>Target relative residual ‖(K + λI) α − y‖ / ‖y‖ of every output column, checked with a true residual at the end.</summary>
    public double Tolerance { get; init; } = 1e-6;

    /// <summary>Most conjugate-gradient iterations (one pass over the kernel each).</summary>
    public int MaxIterations { get; init; } = 500;

    /// <summary>Columns sampled for the Nyström preconditioner; null chooses (see <see cref="OutOfCoreRegression.DefaultSampleSize"/>), 0 disables it.</summary>
    public int? PreconditionerSize { get; init; }

    /// <summary>Seed of the column sample (the solve is deterministic for a given seed).</summary>
    public int Seed { get; init; }

    /// <summary>Bytes the solve may use; null: <see cref="Kernels.MemoryBudget.AvailableBytes"/> (which honours TANGENT_MEMORY_LIMIT).</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>Progress lines (phases, the preconditioner, the final check).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Called after each CG iteration with the residual.</summary>
    public Action<CgIteration>? OnIteration { get; init; }

    /// <summary>Stops between passes.</summary>
    public CancellationToken Cancellation { get; init; }
}
