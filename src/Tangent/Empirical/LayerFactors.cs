using System.Numerics;
using Tangent.Networks;

namespace Tangent.Empirical;

/// <summary>
/// What one weight layer contributes to the Jacobian of a batch: its patches (n·P rows of K) and the cotangents of its
/// outputs for every network output (n·O·P rows of C, ordered example, output, position). The per-example Jacobian of
/// output o is m_W·Σ_p dy_{o,p} ⊗ patch_p for the weights and m_b·Σ_p dy_{o,p} for the bias.
/// </summary>
internal sealed class LayerFactors<T>(WeightLayer<T> layer, T[] patches, T[] cotangents, int n) where T : unmanaged, IFloatingPointIeee754<T>
{
    public WeightLayer<T> Layer { get; } = layer;
    public T[] Patches { get; } = patches;
    public T[] Cotangents { get; } = cotangents;
    public int N { get; } = n;
}

/// <summary>Runs a batch through the network and back with one cotangent per output (the identity), keeping copies of every weight layer's factors.</summary>
internal sealed class FactorCapture<T> : IWeightGradientSink<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<LayerFactors<T>> _factors = [];

    public void Accept(WeightLayer<T> layer, ReadOnlySpan<T> patches, ReadOnlySpan<T> dy, int n, int m) =>
        _factors.Add(new LayerFactors<T>(layer, patches.ToArray(), dy.ToArray(), n));

    /// <summary>The factors of every weight layer for the rows of <paramref name="x"/> (n examples).</summary>
    public static List<LayerFactors<T>> Run(FiniteNetwork<T> network, ReadOnlySpan<T> x, int n)
    {
        var capture = new FactorCapture<T>();
        IdentityBackward.Run(network, x, n, capture);
        return capture._factors;
    }
}

/// <summary>The backward pass that yields every output's gradient: m = O cotangents per example, the rows of the identity.</summary>
internal static class IdentityBackward
{
    public static void Run<T>(FiniteNetwork<T> network, ReadOnlySpan<T> x, int n, IWeightGradientSink<T> sink) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int o = network.OutputCount;
        var y = network.ForwardKeep(x, n);
        var dy = new T[(long)n * o * o];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < o; k++) dy[(i * o + k) * o + k] = T.One;
        network.Backward(x, y, dy, n, o, sink);
    }
}
