using System.Numerics;
using Tangent.Specs;

namespace Tangent.Networks;

/// <summary>
/// The finite-network meaning of one layer, bound to an input shape: it owns its parameters, runs the forward pass on a
/// batch and the backward pass (vector–Jacobian product). Built by <see cref="Layers.Layer.BindFinite{T}"/>.
/// </summary>
/// <remarks>
/// Batches are row-major: example i occupies <c>[i·size, (i+1)·size)</c>, images in HWC order. The backward pass takes
/// <c>m</c> cotangents per example (rows <c>i·m .. i·m+m−1</c> belong to example i): m = 1 for training, m = number of
/// outputs for the empirical NTK, so one pass yields every output's gradient. A layer may keep what it computed in
/// <see cref="Forward"/> (patches, normalisers) for the next <see cref="Backward"/>; one instance serves one thread.
/// </remarks>
public abstract class FiniteLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A layer reading <see cref="FiniteContext.Input"/> and producing <paramref name="output"/>.</summary>
    protected FiniteLayer(FiniteContext context, TensorShape output)
    {
        InputShape = context.Input;
        OutputShape = output;
        OutputIsWidth = context.InputIsWidth;
    }

    /// <summary>A layer from <paramref name="input"/> to <paramref name="output"/> (combinators' sequences).</summary>
    protected FiniteLayer(TensorShape input, TensorShape output, bool outputIsWidth)
    {
        InputShape = input;
        OutputShape = output;
        OutputIsWidth = outputIsWidth;
    }

    /// <summary>Shape of one input example (channels resolved).</summary>
    public TensorShape InputShape { get; }

    /// <summary>Shape of one output example (channels resolved).</summary>
    public TensorShape OutputShape { get; }

    /// <summary>Numbers per input example.</summary>
    public int InputSize => InputShape.Positions * InputShape.Channels;

    /// <summary>Numbers per output example.</summary>
    public int OutputSize => OutputShape.Positions * OutputShape.Channels;

    /// <summary>
    /// Whether the output channel count is a width that grows to infinity (true after a hidden layer) rather than a
    /// fixed dimension of the data (the input, the readout); μP's input/hidden/output rules follow from it.
    /// </summary>
    public bool OutputIsWidth { get; protected init; }

    /// <summary>The parameter tensors of this layer and of the layers inside it, in spec order.</summary>
    public virtual IEnumerable<ParameterTensor<T>> Parameters => [];

    /// <summary>The weight layers of this layer and inside it, in spec order.</summary>
    public virtual IEnumerable<WeightLayer<T>> WeightLayers => [];

    /// <summary>True when the layer or a layer inside it has parameters (the backward pass must reach it).</summary>
    public bool HasParameters => Parameters.Any();

    /// <summary>y = layer(x) for <paramref name="n"/> examples.</summary>
    public abstract void Forward(ReadOnlySpan<T> x, Span<T> y, int n);

    /// <summary>
    /// The vector–Jacobian product: given <paramref name="dy"/> (n·m rows of <see cref="OutputSize"/>), the cotangents of
    /// this layer's output, writes those of its input into <paramref name="dx"/> (n·m rows of <see cref="InputSize"/>),
    /// and hands every weight layer's output cotangents to <paramref name="sink"/>. <paramref name="x"/> and
    /// <paramref name="y"/> are the input and output of the latest <see cref="Forward"/>. An empty
    /// <paramref name="dx"/> means nobody needs the input's cotangents (the network's first layer): skip them.
    /// </summary>
    public abstract void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int n, int m, IWeightGradientSink<T>? sink);

    /// <summary>Redraws every parameter from its initial distribution.</summary>
    public void Reinitialise(IParameterSource source)
    {
        foreach (var p in Parameters) source.Fill(p);
    }

    /// <summary>Grows a scratch buffer to at least <paramref name="length"/> elements (never shrinks, so steady state allocates nothing).</summary>
    protected static T[] Ensure(ref T[]? buffer, long length)
    {
        if (buffer is null || buffer.Length < length) buffer = new T[checked((int)length)];
        return buffer;
    }
}
