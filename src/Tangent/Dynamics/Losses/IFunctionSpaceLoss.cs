namespace Tangent.Dynamics.Losses;

/// <summary>
/// A training loss seen as a function of the network's outputs on the training set, f (N x O, row-major), and the
/// targets y: all function-space gradient flow needs (df/dt = −η K ∇_f L).
/// </summary>
/// <remarks>Implementations must not allocate in <see cref="Gradient"/>: the ODE solver calls it six times a step.</remarks>
public interface IFunctionSpaceLoss
{
    /// <summary>Short name for messages and reports ("mse", "cross-entropy").</summary>
    string Name { get; }

    /// <summary>L(f, y), with <paramref name="outputs"/> columns per row.</summary>
    double Value(ReadOnlySpan<double> f, ReadOnlySpan<double> y, int outputs);

    /// <summary>Writes ∂L/∂f (same layout as f) into <paramref name="gradient"/>.</summary>
    void Gradient(ReadOnlySpan<double> f, ReadOnlySpan<double> y, int outputs, Span<double> gradient);
}
