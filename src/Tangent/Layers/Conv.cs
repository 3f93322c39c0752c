using System.Numerics;
using Tangent.Kernels;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>Padding of convolutions and pooling, as in neural-tangents (and TensorFlow).</summary>
public enum Padding
{
    /// <summary>No padding: only windows that fit.</summary>
    Valid,
    /// <summary>Zero padding so that the output has ceil(input / stride) positions.</summary>
    Same,
    /// <summary>Periodic (wrap-around) padding with the output size of <see cref="Same"/>.</summary>
    Circular,
}

/// <summary>
/// A convolution over 1-D or 2-D inputs (NHWC), with weights W_std/√(C·fh·fw)·W, W ~ N(0, 1) in NTK parameterisation.
/// Infinite width (Novak et al. 2019; Arora et al. 2019): the covariance between output positions q and q' is the
/// average over the filter taps k of the input covariance between the positions each tap reads,
/// Σ'(q, q') = W_std² · mean_k Σ(i(q, k), i(q', k)) + b_std², a "diagonal" convolution of the position-position
/// covariance; taps reading padding contribute zero; Θ'(q, q') = Σ'(q, q') + W_std² · mean_k Θ(i(q, k), i(q', k)).
/// </summary>
public sealed class Conv(int[] filter, int[] strides, Padding padding, int channels = 0, double wStd = 1, double bStd = 0,
    Parameterization parameterization = Parameterization.Ntk) : Layer
{
    /// <summary>Filter size per spatial axis (one value means the same on every axis).</summary>
    public int[] Filter { get; } = filter;
    /// <summary>Strides per spatial axis (one value means the same on every axis).</summary>
    public int[] Strides { get; } = strides;
    /// <summary>The padding.</summary>
    public Padding Padding { get; } = padding;
    /// <summary>Output channels (0: unspecified, not needed at infinite width in NTK parameterisation).</summary>
    public int Channels { get; } = channels;
    /// <summary>Weight standard deviation.</summary>
    public double WStd { get; } = wStd;
    /// <summary>Bias standard deviation.</summary>
    public double BStd { get; } = bStd;
    /// <summary>The parameterisation.</summary>
    public Parameterization Parameterization { get; } = parameterization;

    /// <inheritdoc />
    public override string TypeName => "Conv";

    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters
    {
        get
        {
            yield return ("filter", Filter);
            yield return ("strides", Strides);
            yield return ("padding", Padding.ToString().ToUpperInvariant());
            if (Channels > 0) yield return ("channels", Channels);
            yield return ("W_std", WStd);
            yield return ("b_std", BStd);
            if (Parameterization != Parameterization.Ntk) yield return ("parameterization", "standard");
        }
    }

    internal static Conv FromArgs(LayerArgs args) => new(
        SmallInts(args, "filter", ["f", "filter_shape"], [3]),
        SmallInts(args, "strides", ["s", "stride"], [1]),
        ReadPadding(args, "SAME"),
        args.Integer("channels", 0, ["c", "out_chan", "width"], min: 1),
        args.Number("W_std", 1, ["w"], LayerArgs.NonNegative),
        args.Number("b_std", 0, ["b"], LayerArgs.NonNegative),
        args.Choice("parameterization", "ntk", ["ntk", "standard"], ["param", "p"]) == "ntk" ? Parameterization.Ntk : Parameterization.Standard);

    internal static int[] SmallInts(LayerArgs args, string key, string[] aliases, int[] fallback)
    {
        var values = args.Numbers(key, aliases);
        if (values is null) return fallback;
        if (values.Length is < 1 or > 2 || values.Any(v => v < 1 || v != Math.Round(v) || v > 4096))
            throw new SpecException($"spec error at {args.Where}: '{key}' of {args.TypeName} must be one or two positive integers, e.g. 3 or [3, 3]");
        return values.Select(v => (int)v).ToArray();
    }

    internal static Padding ReadPadding(LayerArgs args, string fallback) =>
        Enum.Parse<Padding>(args.Choice("padding", fallback, ["VALID", "SAME", "CIRCULAR"], ["pad"]), ignoreCase: true);

    /// <summary>The window along each of the two internal axes (H, W); 1-D inputs are 1 x L.</summary>
    internal static Window Resolve(int[] sizes, int[] strides, Padding padding, TensorShape input, string layer)
    {
        if (input.IsFlat) throw new SpecException($"spec error: {layer} needs image or sequence inputs (N x H x W x C or N x L x C), got flat shape {input}");
        int rank = input.Spatial.Length;
        if (sizes.Length != 1 && sizes.Length != rank) throw new SpecException($"spec error: {layer} has a {sizes.Length}-D window for {rank}-D inputs");
        if (strides.Length != 1 && strides.Length != rank) throw new SpecException($"spec error: {layer} has {strides.Length} strides for {rank}-D inputs");
        int F(int[] a, int axis) => a.Length == 1 ? a[0] : a[axis];
        var g = rank == 1 ? new Geometry(1, input.Spatial[0]) : new Geometry(input.Spatial[0], input.Spatial[1]);
        var h = rank == 1 ? Axis.Unit : Axis.Of(g.H, F(sizes, 0), F(strides, 0), padding, layer);
        var w = Axis.Of(g.W, F(sizes, rank - 1), F(strides, rank - 1), padding, layer);
        return new Window(h, w, padding == Padding.Circular);
    }

    /// <inheritdoc />
    public override TensorShape OutputShape(TensorShape input)
    {
        var win = Resolve(Filter, Strides, Padding, input, TypeName);
        int[] spatial = input.Spatial.Length == 1 ? [win.W.Out] : [win.H.Out, win.W.Out];
        return new TensorShape(spatial, Channels);
    }

    /// <inheritdoc />
    public override ImageKernelOp BindImageKernel(TensorShape input)
    {
        var win = Resolve(Filter, Strides, Padding, input, TypeName);
        if (Parameterization == Parameterization.Standard && input.Channels <= 0)
            throw new SpecException("spec error: Conv with parameterization 'standard' needs the channel count of its input; give the previous layer 'channels'");
        int fanIn = Parameterization == Parameterization.Standard ? input.Channels * win.Taps : 0;
        return new DiagonalConvolution(win, WStd * WStd, BStd * BStd, fanIn);
    }
    #region Finite network

    /// <inheritdoc />
    public override bool ChoosesWidth => true;

    /// <inheritdoc />
    public override FiniteLayer<T> BindFinite<T>(FiniteContext context) => new FiniteConv<T>(this, context);

    #endregion
}

/// <summary>One axis of a window: input size, output size, filter size, stride and the padding before the first position.</summary>
internal readonly record struct Axis(int In, int Out, int Size, int Stride, int PadBefore)
{
    public static readonly Axis Unit = new(1, 1, 1, 1, 0);

    public static Axis Of(int input, int size, int stride, Padding padding, string layer)
    {
        if (padding == Padding.Valid)
        {
            if (input < size) throw new SpecException($"spec error: {layer} window {size} is larger than its input ({input}) with VALID padding");
            return new Axis(input, (input - size) / stride + 1, size, stride, 0);
        }
        int output = (input + stride - 1) / stride;
        int total = Math.Max((output - 1) * stride + size - input, 0);
        return new Axis(input, output, size, stride, total / 2);
    }

    /// <summary>The input index tap <paramref name="k"/> of output <paramref name="o"/> reads, or -1 for zero padding.</summary>
    public int Source(int o, int k, bool circular)
    {
        int i = o * Stride - PadBefore + k;
        if (circular) return ((i % In) + In) % In;
        return i >= 0 && i < In ? i : -1;
    }
}

/// <summary>A 2-D window (1-D inputs have a unit H axis).</summary>
internal readonly record struct Window(Axis H, Axis W, bool Circular)
{
    public int Taps => H.Size * W.Size;
    public Geometry Input => new(H.In, W.In);
    public Geometry Output => new(H.Out, W.Out);

    /// <summary>Input position (flattened) read by tap (kh, kw) of output (oh, ow), or -1.</summary>
    public int Source(int oh, int ow, int kh, int kw)
    {
        int h = H.Source(oh, kh, Circular), w = W.Source(ow, kw, Circular);
        return h < 0 || w < 0 ? -1 : h * W.In + w;
    }
}

#region Finite network

/// <summary>
/// A finite convolution by im2col: the patch of output position q lists, tap by tap in (kh, kw) order, the C_in input
/// channels the tap reads (zeros where it reads padding; wrapped indices for CIRCULAR), so patch·W with W stored
/// [fh, fw, c_in, c_out] = [K, c_out] is one GEMM for the whole batch: y = m_W·patches·W + m_b·b. Backward: the
/// patches' cotangents m_W·dy·Wᵀ are scattered back onto the input positions they were read from (col2im).
/// </summary>
internal sealed class FiniteConv<T> : WeightLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Rows of patch cotangents materialised at once in the backward pass, to bound its scratch memory.
    private const int ScratchElements = 1 << 22;
    private readonly int[] _sources;   // [output position, tap] → input position, or -1 for padding
    private readonly int _taps, _inChannels;
    private T[]? _patches, _patchGrads;

    public FiniteConv(Conv spec, FiniteContext context) : this(spec, context, Conv.Resolve(spec.Filter, spec.Strides, spec.Padding, context.Input, spec.TypeName),
        context.ResolveWidth(spec.Channels, "Conv")) { }

    private FiniteConv(Conv spec, FiniteContext context, Window win, int channels)
        : base(context, spec.OutputShape(context.Input).WithChannels(channels), win.Taps * context.Input.Channels,
               context.Input.Spatial.Length == 1 ? [win.W.Size, context.Input.Channels, channels] : [win.H.Size, win.W.Size, context.Input.Channels, channels],
               $"Conv at position {context.Path}: [{(context.Input.Spatial.Length == 1 ? "" : "fh, ")}fw, c_in, c_out]",
               context.ParameterizationFor(spec.Parameterization), spec.WStd, spec.BStd)
    {
        _taps = win.Taps;
        _inChannels = context.Input.Channels;
        _sources = new int[win.Output.P * _taps];
        for (int oh = 0, q = 0; oh < win.H.Out; oh++)
            for (int ow = 0; ow < win.W.Out; ow++, q++)
                for (int kh = 0, t = 0; kh < win.H.Size; kh++)
                    for (int kw = 0; kw < win.W.Size; kw++, t++)
                        _sources[q * _taps + t] = win.Source(oh, ow, kh, kw);
    }

    public override bool FanOutMajor => false;

    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int n)
    {
        int rows = n * Positions;
        var patches = Ensure(ref _patches, (long)rows * FanIn).AsSpan(0, rows * FanIn);
        for (int e = 0; e < n; e++)
        {
            var image = x.Slice(e * InputSize, InputSize);
            for (int q = 0; q < Positions; q++)
            {
                var patch = patches.Slice((e * Positions + q) * FanIn, FanIn);
                for (int t = 0; t < _taps; t++)
                {
                    int source = _sources[q * _taps + t];
                    var slot = patch.Slice(t * _inChannels, _inChannels);
                    if (source < 0) slot.Clear();
                    else image.Slice(source * _inChannels, _inChannels).CopyTo(slot);
                }
            }
        }
        LinearAlgebra.Current.GemmNN(rows, FanOut, FanIn, WeightMultiplier, patches, Weight.Values, T.Zero, y[..(rows * FanOut)]);
        AddBias(y, rows);
    }

    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int n, int m, IWeightGradientSink<T>? sink)
    {
        sink?.Accept(this, _patches.AsSpan(0, n * Positions * FanIn), dy[..(n * m * Positions * FanOut)], n, m);
        if (dx.IsEmpty) return;
        int total = n * m;
        int chunk = Math.Clamp(ScratchElements / Math.Max(Positions * FanIn, 1), 1, total);
        var grads = Ensure(ref _patchGrads, (long)chunk * Positions * FanIn);
        dx[..(total * InputSize)].Clear();
        for (int r0 = 0; r0 < total; r0 += chunk)
        {
            int count = Math.Min(chunk, total - r0), rows = count * Positions;
            // Patch cotangents of `count` cotangent rows: (rows x c_out)·(c_out x K) with W stored K x c_out.
            LinearAlgebra.Current.GemmNT(rows, FanIn, FanOut, WeightMultiplier, dy.Slice(r0 * Positions * FanOut, rows * FanOut), Weight.Values, T.Zero, grads.AsSpan(0, rows * FanIn));
            for (int r = 0; r < count; r++)
            {
                var image = dx.Slice((r0 + r) * InputSize, InputSize);
                for (int q = 0; q < Positions; q++)
                {
                    var patch = grads.AsSpan((r * Positions + q) * FanIn, FanIn);
                    for (int t = 0; t < _taps; t++)
                    {
                        int source = _sources[q * _taps + t];
                        if (source < 0) continue;
                        var target = image.Slice(source * _inChannels, _inChannels);
                        System.Numerics.Tensors.TensorPrimitives.Add<T>(target, patch.Slice(t * _inChannels, _inChannels), target);
                    }
                }
            }
        }
    }
}

#endregion
