using System.Numerics;
using Tangent.Linalg;
using Tangent.Networks;

namespace Tangent.Experiments.Mup;

/// <summary>
/// Reads the output of every top-level layer of a finite network on a fixed probe batch, as the coordinate check needs:
/// the root mean square of each layer's output x_t, and of its change x_t − x_0 since the first reading. Nothing is
/// hooked into the network: a forward pass keeps every layer's output for the backward pass
/// (<see cref="FiniteSequence{T}.InputOf"/>), and they are read from there. Unlike
/// <see cref="Training.ActivationProbe.LayerRms"/> it remembers the first reading, to measure the change since.
/// </summary>
public sealed class LayerCoordinates<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly FiniteNetwork<T> _network;
    private readonly Matrix<T> _x;
    private readonly T[] _output;
    private double[][]? _initial;

    /// <summary>A reader of <paramref name="network"/>'s layers on the rows of <paramref name="x"/>.</summary>
    public LayerCoordinates(FiniteNetwork<T> network, Matrix<T> x)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(x);
        network.CheckInput(x);
        _network = network;
        _x = x;
        _output = new T[x.Rows * network.OutputCount];
        Layers = LayerNames(network);
    }

    /// <summary>One name per top-level layer, <c>{position}.{type}</c> in lower case (e.g. <c>0.dense</c>, <c>1.relu</c>).</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>The names <see cref="Layers"/> gives for <paramref name="network"/>.</summary>
    public static string[] LayerNames(FiniteNetwork<T> network) =>
        network.Architecture.Layers.Select((l, i) => $"{i}.{l.TypeName.ToLowerInvariant()}").ToArray();

    /// <summary>
    /// Runs the network on the probe batch and writes, per layer, RMS(x_t) into <paramref name="size"/> and
    /// RMS(x_t − x_0) into <paramref name="change"/>; the first call defines x_0 (its changes are zero).
    /// </summary>
    public void Read(Span<double> size, Span<double> change)
    {
        int layers = Layers.Count;
        if (size.Length != layers || change.Length != layers) throw new ArgumentException($"need one slot per layer ({layers})");
        int n = _x.Rows;
        _network.Forward(_x.Data, _output, n);
        bool first = _initial is null;
        _initial ??= new double[layers][];
        for (int i = 0; i < layers; i++)
        {
            ReadOnlySpan<T> values = i == layers - 1 ? _output : _network.Body.InputOf(i + 1, _x.Data, n);
            if (first) _initial[i] = new double[values.Length];
            var x0 = _initial[i];
            double squares = 0, changes = 0;
            for (int k = 0; k < values.Length; k++)
            {
                double v = double.CreateTruncating(values[k]);
                if (first) x0[k] = v;
                double d = v - x0[k];
                squares += v * v;
                changes += d * d;
            }
            size[i] = Math.Sqrt(squares / values.Length);
            change[i] = Math.Sqrt(changes / values.Length);
        }
    }
}
