using System.Numerics;
using Tangent.Linalg;
using Tangent.Networks;

namespace Tangent.Training;

/// <summary>Per-layer activations of a finite network after a forward pass (what a μP coordinate check reads).</summary>
public static class ActivationProbe
{
    /// <summary>
    /// Runs the network on <paramref name="x"/> and returns, for every top-level layer in spec order, its index, its
    /// name (the layer's type) and the root-mean-square of its output over all examples and coordinates.
    /// </summary>
    public static IReadOnlyList<LayerActivation> LayerRms<T>(FiniteNetwork<T> network, Matrix<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = network.Forward(x);
        var layers = network.Body.Layers;
        var result = new List<LayerActivation>(layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            ReadOnlySpan<T> a = i == layers.Count - 1 ? y.Data : network.Body.InputOf(i + 1, x.Data, x.Rows);
            double sum = 0;
            foreach (var v in a) { double d = double.CreateTruncating(v); sum += d * d; }
            result.Add(new LayerActivation(i, network.Architecture.Layers[i].GetType().Name, a.Length == 0 ? 0 : Math.Sqrt(sum / a.Length)));
        }
        return result;
    }
}

/// <summary>The output RMS of one top-level layer.</summary>
/// <param name="Index">Position in the spec.</param>
/// <param name="Layer">The layer's type name (Dense, Relu, ...).</param>
/// <param name="Rms">√(mean of squares) over examples and coordinates.</param>
public readonly record struct LayerActivation(int Index, string Layer, double Rms);
