using System.Numerics;
using Tangent.Layers;
using Tangent.Specs;

namespace Tangent.Networks;

/// <summary>
/// Finite layers applied in order: a whole network, or a branch of <see cref="Residual"/> / <see cref="Product"/>. Keeps
/// the intermediate activations of the latest forward pass for the backward pass.
/// </summary>
public sealed class FiniteSequence<T> : FiniteLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly FiniteLayer<T>[] _layers;
    private readonly T[]?[] _activations;
    private readonly int _firstWithParameters;
    private T[]? _gradA, _gradB;

    private FiniteSequence(TensorShape input, FiniteLayer<T>[] layers, bool outputIsWidth)
        : base(input, layers.Length == 0 ? input : layers[^1].OutputShape, outputIsWidth)
    {
        _layers = layers;
        _activations = new T[]?[Math.Max(layers.Length - 1, 0)];
        _firstWithParameters = Array.FindIndex(layers, l => l.HasParameters);
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<FiniteLayer<T>> Layers => _layers;

    /// <summary>
    /// Binds <paramref name="layers"/> to <paramref name="input"/>. The last layer that chooses its output width gets
    /// <paramref name="target"/>; the others get a free hidden width. Parameter names are <paramref name="prefix"/> + index.
    /// </summary>
    public static FiniteSequence<T> Bind(IReadOnlyList<Layer> layers, TensorShape input, bool inputIsWidth, WidthTarget target, string prefix, FiniteNetworkOptions options)
    {
        int lastChooser = -1;
        for (int i = 0; i < layers.Count; i++) if (layers[i].ChoosesWidth) lastChooser = i;
        var bound = new FiniteLayer<T>[layers.Count];
        var shape = input;
        bool isWidth = inputIsWidth;
        for (int i = 0; i < layers.Count; i++)
        {
            var context = new FiniteContext(shape, isWidth, i == lastChooser ? target : WidthTarget.Free, prefix + i, options);
            bound[i] = layers[i].BindFinite<T>(context);
            shape = bound[i].OutputShape;
            isWidth = bound[i].OutputIsWidth;
        }
        return new FiniteSequence<T>(input, bound, isWidth);
    }

    /// <summary>The input of layer <paramref name="index"/> in the latest forward pass on <paramref name="x"/>.</summary>
    public ReadOnlySpan<T> InputOf(int index, ReadOnlySpan<T> x, int n) =>
        index == 0 ? x[..(n * InputSize)] : _activations[index - 1].AsSpan(0, n * _layers[index - 1].OutputSize);

    /// <inheritdoc />
    public override IEnumerable<ParameterTensor<T>> Parameters => _layers.SelectMany(l => l.Parameters);

    /// <inheritdoc />
    public override IEnumerable<WeightLayer<T>> WeightLayers => _layers.SelectMany(l => l.WeightLayers);

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int n)
    {
        if (_layers.Length == 0) { x[..(n * InputSize)].CopyTo(y); return; }
        for (int i = 0; i < _layers.Length; i++)
        {
            ReadOnlySpan<T> input = i == 0 ? x : _activations[i - 1];
            Span<T> output = i == _layers.Length - 1 ? y : Ensure(ref _activations[i], (long)n * _layers[i].OutputSize);
            _layers[i].Forward(input, output, n);
        }
    }

    /// <inheritdoc />
    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int n, int m, IWeightGradientSink<T>? sink)
    {
        if (_layers.Length == 0) { if (!dx.IsEmpty) dy[..(n * m * InputSize)].CopyTo(dx); return; }
        // Without a consumer for dx, layers before the first parameter need no backward pass at all.
        int first = !dx.IsEmpty ? 0 : _firstWithParameters;
        if (first < 0) return;
        ReadOnlySpan<T> current = dy;
        bool useA = true;
        for (int i = _layers.Length - 1; i >= first; i--)
        {
            var layer = _layers[i];
            ReadOnlySpan<T> input = i == 0 ? x : _activations[i - 1];
            ReadOnlySpan<T> output = i == _layers.Length - 1 ? y : _activations[i];
            Span<T> target = i == first ? dx : (useA ? Ensure(ref _gradA, (long)n * m * layer.InputSize) : Ensure(ref _gradB, (long)n * m * layer.InputSize));
            layer.Backward(input, output, current, target, n, m, sink);
            current = target;
            useA = !useA;
        }
    }
}
