namespace Tangent.Dynamics.Losses;

/// <summary>Computes a loss value from the outputs and targets (flat, row-major) and the number of outputs per row.</summary>
public delegate double LossValue(ReadOnlySpan<double> f, ReadOnlySpan<double> y, int outputs);

/// <summary>Writes the gradient of a loss with respect to the outputs into the last argument.</summary>
public delegate void LossGradient(ReadOnlySpan<double> f, ReadOnlySpan<double> y, int outputs, Span<double> gradient);

/// <summary>Any loss given as a function and its gradient with respect to the outputs.</summary>
/// <param name="name">Name for reports.</param>
/// <param name="value">L(f, y).</param>
/// <param name="gradient">∂L/∂f; must not allocate (called six times per ODE step).</param>
public sealed class DelegateLoss(string name, LossValue value, LossGradient gradient) : IFunctionSpaceLoss
{
    /// <inheritdoc/>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public double Value(ReadOnlySpan<double> f, ReadOnlySpan<double> y, int outputs) => value(f, y, outputs);

    /// <inheritdoc/>
    public void Gradient(ReadOnlySpan<double> f, ReadOnlySpan<double> y, int outputs, Span<double> g) => gradient(f, y, outputs, g);
}
