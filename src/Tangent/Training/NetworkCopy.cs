using System.Numerics;
using Tangent.Networks;

namespace Tangent.Training;

/// <summary>Copies of finite networks: the frozen θ₀ a linearisation or a centred model needs.</summary>
public static class NetworkCopy
{
    /// <summary>A new network with the same spec, input shape, options and scales, and the current values of <paramref name="network"/>.</summary>
    public static FiniteNetwork<T> Clone<T>(FiniteNetwork<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        // Any source will do: every value is overwritten below; a seeded one avoids re-reading a weights file.
        var copy = FiniteNetwork<T>.Create(network.Architecture, network.InputShape, network.Options with { Source = new SeededParameters(0) });
        CopyValues(network, copy);
        return copy;
    }

    /// <summary>Copies every parameter value of <paramref name="from"/> into <paramref name="to"/> (same architecture).</summary>
    public static void CopyValues<T>(FiniteNetwork<T> from, FiniteNetwork<T> to) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (from.Parameters.Count != to.Parameters.Count) throw new ArgumentException("the networks have different parameter lists");
        for (int i = 0; i < from.Parameters.Count; i++)
        {
            var (a, b) = (from.Parameters[i], to.Parameters[i]);
            if (a.Values.Length != b.Values.Length) throw new ArgumentException($"parameter {a.Name} has {a.Values.Length} values, the copy's has {b.Values.Length}");
            a.Values.CopyTo(b.Values, 0);
            b.Scale = a.Scale;
        }
    }

    /// <summary>
    /// The initialisation scale of Geiger et al. (2020): multiplies every initial weight (not bias) by <paramref name="scale"/>,
    /// so a depth-L ReLU network's output at initialisation scales by roughly scale^L. Call before training starts.
    /// </summary>
    public static void ScaleInitialWeights<T>(FiniteNetwork<T> network, double scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(scale > 0) || !double.IsFinite(scale)) throw new ArgumentException($"the initialisation scale must be positive, got {scale}");
        T s = T.CreateTruncating(scale);
        foreach (var w in network.WeightLayers)
            System.Numerics.Tensors.TensorPrimitives.Multiply<T>(w.Weight.Values, s, w.Weight.Values);
    }
}
