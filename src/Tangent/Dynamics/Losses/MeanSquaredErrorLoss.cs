namespace Tangent.Dynamics.Losses;

/// <summary>
/// L = ½ · mean over the N·O targets of (f − y)², neural-tangents' convention: its gradient flow is the closed form
/// of <see cref="GradientDescentMse"/>, so this loss checks the ODE solver against it.
/// </summary>
public sealed class MeanSquaredErrorLoss : IFunctionSpaceLoss
{
    /// <summary>The one instance.</summary>
    public static MeanSquaredErrorLoss Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "mse";

    /// <inheritdoc/>
    public double Value(ReadOnlySpan<double> f, ReadOnlySpan<double> y, int outputs)
    {
        double sum = 0;
        for (int i = 0; i < f.Length; i++) { double d = f[i] - y[i]; sum += d * d; }
        return f.Length == 0 ? 0 : 0.5 * sum / f.Length;
    }

    /// <inheritdoc/>
    public void Gradient(ReadOnlySpan<double> f, ReadOnlySpan<double> y, int outputs, Span<double> gradient)
    {
        double scale = 1.0 / f.Length;
        for (int i = 0; i < f.Length; i++) gradient[i] = (f[i] - y[i]) * scale;
    }
}
