using Tangent.Linalg;

namespace Tangent.Solvers;

/// <summary>The outcome of an out-of-core kernel regression.</summary>
public sealed record RegressionSolution
{
    /// <summary>Dual coefficients α = (K + λI)⁻¹ y, N x O.</summary>
    public required Matrix<double> Alpha { get; init; }
    /// <summary>K α: the predictions on the training points (y − λα up to the residual), N x O.</summary>
    public required Matrix<double> TrainPredictions { get; init; }
    /// <summary>The ridge λ added to the diagonal (absolute).</summary>
    public required double Ridge { get; init; }
    /// <summary>trace(K) / N.</summary>
    public required double MeanDiagonal { get; init; }
    /// <summary>CG iterations over all restarts.</summary>
    public required int Iterations { get; init; }
    /// <summary>The largest true relative residual ‖(K + λI) α − y‖ / ‖y‖ over the output columns, from a separate product.</summary>
    public required double Residual { get; init; }
    /// <summary>The tolerance asked for.</summary>
    public required double Tolerance { get; init; }
    /// <summary>Whether <see cref="Residual"/> ≤ <see cref="Tolerance"/>.</summary>
    public bool Converged => Residual <= Tolerance;
    /// <summary>The largest relative residual (CG recurrence) after each iteration.</summary>
    public required IReadOnlyList<double> History { get; init; }
    /// <summary>Columns sampled for the preconditioner (0: none).</summary>
    public required int SampleSize { get; init; }
    /// <summary>Rank of the Nyström approximation kept.</summary>
    public required int PreconditionerRank { get; init; }
    /// <summary>Seconds spent building the preconditioner (its pass over the kernel included).</summary>
    public required double PreconditionerSeconds { get; init; }
    /// <summary>Seconds of conjugate gradients and the final check.</summary>
    public required double SolveSeconds { get; init; }
    /// <summary>Times CG was restarted from the true residual because the recurrence had drifted from it.</summary>
    public required int Restarts { get; init; }
}
