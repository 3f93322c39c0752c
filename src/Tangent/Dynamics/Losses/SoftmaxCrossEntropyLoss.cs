namespace Tangent.Dynamics.Losses;

/// <summary>
/// Softmax cross-entropy averaged over the N training points: L = −(1/N) Σ_i Σ_c y_ic log softmax(f_i)_c, with targets
/// y_i one-hot or any non-negative class weights (PyTorch's and Keras's convention; neural-tangents' examples divide by
/// N·O instead, which only rescales time by O).
/// </summary>
/// <remarks>
/// ∂L/∂f_ic = (softmax(f_i)_c · Σ_c' y_ic' − y_ic) / N. Log-softmax is computed with the row maximum subtracted, so
/// large logits neither overflow nor lose the gradient.
/// </remarks>
public sealed class SoftmaxCrossEntropyLoss : IFunctionSpaceLoss
{
    /// <summary>The one instance.</summary>
    public static SoftmaxCrossEntropyLoss Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "cross-entropy";

    /// <inheritdoc/>
    public double Value(ReadOnlySpan<double> f, ReadOnlySpan<double> y, int outputs)
    {
        int n = f.Length / outputs;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var row = f.Slice(i * outputs, outputs);
            var target = y.Slice(i * outputs, outputs);
            double logNormalizer = LogSumExp(row);
            for (int c = 0; c < outputs; c++)
                if (target[c] != 0) total -= target[c] * (row[c] - logNormalizer);
        }
        return n == 0 ? 0 : total / n;
    }

    /// <inheritdoc/>
    public void Gradient(ReadOnlySpan<double> f, ReadOnlySpan<double> y, int outputs, Span<double> gradient)
    {
        int n = f.Length / outputs;
        double scale = 1.0 / n;
        for (int i = 0; i < n; i++)
        {
            var row = f.Slice(i * outputs, outputs);
            var target = y.Slice(i * outputs, outputs);
            var g = gradient.Slice(i * outputs, outputs);
            double max = double.NegativeInfinity;
            for (int c = 0; c < outputs; c++) max = Math.Max(max, row[c]);
            double sum = 0, mass = 0;
            for (int c = 0; c < outputs; c++) { g[c] = Math.Exp(row[c] - max); sum += g[c]; mass += target[c]; }
            for (int c = 0; c < outputs; c++) g[c] = (g[c] / sum * mass - target[c]) * scale;
        }
    }

    private static double LogSumExp(ReadOnlySpan<double> row)
    {
        double max = double.NegativeInfinity;
        foreach (double v in row) max = Math.Max(max, v);
        double sum = 0;
        foreach (double v in row) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }
}
