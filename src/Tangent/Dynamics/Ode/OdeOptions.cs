namespace Tangent.Dynamics.Ode;

/// <summary>Error control and limits of <see cref="DormandPrince45"/>.</summary>
public sealed class OdeOptions
{
    /// <summary>Relative tolerance per component of the local error (default 1e-9).</summary>
    public double RelativeTolerance { get; init; } = 1e-9;

    /// <summary>Absolute tolerance per component of the local error (default 1e-12).</summary>
    public double AbsoluteTolerance { get; init; } = 1e-12;

    /// <summary>Most steps (accepted and rejected) before giving up (default one million).</summary>
    public int MaxSteps { get; init; } = 1_000_000;

    /// <summary>First step size; null for the automatic choice (Hairer, Nørsett and Wanner, §II.4).</summary>
    public double? InitialStep { get; init; }

    /// <summary>Stops the integration (throws <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Receives the fraction of the time span covered so far.</summary>
    public IProgress<double>? Progress { get; init; }
}

/// <summary>Work done by one integration.</summary>
/// <param name="AcceptedSteps">Steps kept.</param>
/// <param name="RejectedSteps">Steps redone with a smaller size because their error estimate was too large.</param>
/// <param name="Evaluations">Calls of the right-hand side.</param>
public sealed record OdeStatistics(int AcceptedSteps, int RejectedSteps, int Evaluations);

/// <summary>The right-hand side of y' = f(t, y): writes f(t, y) into <paramref name="dydt"/> (same length as y).</summary>
public delegate void OdeFunction(double t, ReadOnlySpan<double> y, Span<double> dydt);
