using System.Numerics;
using Tangent.Kernels;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// Average (or sum) pooling over windows. Pooling is linear and parameter-free, so it acts on the covariance and the NTK
/// alike, averaging over the window independently on each side: Σ'(q, q') = s² Σ_{k, k'} Σ(i(q,k), i(q',k')) with
/// s = 1/|window| (average, padding counted as zeros, as neural-tangents' default) or 1 (sum). It needs the full
/// position-position covariance.
/// </summary>
public class AvgPool(int[] window, int[]? strides, Padding padding) : Layer
{
    /// <summary>Window size per spatial axis.</summary>
    public int[] Window { get; } = window;
    /// <summary>Strides (default: the window).</summary>
    public int[] Strides { get; } = strides ?? window;
    /// <summary>The padding.</summary>
    public Padding Padding { get; } = padding;

    /// <summary>Whether windows are averaged (true) or summed.</summary>
    protected virtual bool Average => true;

    /// <inheritdoc />
    public override string TypeName => "AvgPool";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters =>
        [("window", Window), ("strides", Strides), ("padding", Padding.ToString().ToUpperInvariant())];

    internal static (int[] Window, int[]? Strides, Padding Padding) ReadArgs(LayerArgs args)
    {
        var window = Conv.SmallInts(args, "window", ["f", "window_shape"], [2]);
        var strides = args.Numbers("strides", ["s", "stride"]) is null ? null : Conv.SmallInts(args, "strides", ["s", "stride"], window);
        if (args.Choice("padding", "VALID", ["VALID", "SAME", "CIRCULAR"], ["pad"]) is var p && p == "CIRCULAR")
            throw new SpecException($"spec error at {args.Where}: {args.TypeName} supports VALID and SAME padding");
        return (window, strides, Conv.ReadPadding(args, "VALID"));
    }

    internal static AvgPool FromArgs(LayerArgs args) { var (w, s, p) = ReadArgs(args); return new AvgPool(w, s, p); }

    /// <inheritdoc />
    public override TensorShape OutputShape(TensorShape input)
    {
        var win = Conv.Resolve(Window, Strides, Padding, input, TypeName);
        return new TensorShape(input.Spatial.Length == 1 ? [win.W.Out] : [win.H.Out, win.W.Out], input.Channels);
    }

    /// <inheritdoc />
    public override ImageKernelOp BindImageKernel(TensorShape input) =>
        new PoolOp(Conv.Resolve(Window, Strides, Padding, input, TypeName), Average);

    #region Finite network

    /// <inheritdoc />
    public override FiniteLayer<T> BindFinite<T>(FiniteContext context) =>
        new FinitePool<T>(context, OutputShape(context.Input), Conv.Resolve(Window, Strides, Padding, context.Input, TypeName), Average);

    #endregion

    private sealed class PoolOp : ImageKernelOp
    {
        private readonly Window _win;
        private readonly bool _average;
        private readonly int[][] _sources;

        public PoolOp(Window win, bool average)
        {
            _win = win;
            _average = average;
            // The input positions each output position averages (padding dropped: it contributes zeros).
            _sources = new int[win.Output.P][];
            for (int q = 0; q < _sources.Length; q++)
            {
                int oh = q / win.W.Out, ow = q % win.W.Out;
                var list = new List<int>(win.Taps);
                for (int kh = 0; kh < win.H.Size; kh++)
                    for (int kw = 0; kw < win.W.Size; kw++)
                        if (win.Source(oh, ow, kh, kw) is var i && i >= 0) list.Add(i);
                _sources[q] = [.. list];
            }
        }

        public override bool NeedsFullCovariance => true;

        protected override void Apply<T>(ImagePairState<T> s, IVarianceSupply supply)
        {
            int pIn = _win.Input.P, pOut = _win.Output.P;
            T scale = _average ? T.One / T.CreateTruncating(_win.Taps) : T.One;
            s.Reserve(Math.Max(pOut * pIn, pIn * pIn), pOut, pOut);
            Pool(s.Nngp, s.NngpSpare, pIn, pOut, scale * scale);
            if (s.WithNtk) Pool(s.Ntk, s.NtkSpare, pIn, pOut, scale * scale);
            s.G1 = _win.Output;
            s.G2 = _win.Output;
        }

        /// <summary>Rows first (into the scratch as pOut x pIn), then columns (back into the state as pOut x pOut).</summary>
        private void Pool<T>(T[] state, T[] scratch, int pIn, int pOut, T scale) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var a = state.AsSpan(ImagePairState<T>.Guard);
            var b = scratch.AsSpan(ImagePairState<T>.Guard);
            b[..(pOut * pIn)].Clear();
            for (int q = 0; q < pOut; q++)
                foreach (int i in _sources[q])
                    System.Numerics.Tensors.TensorPrimitives.Add<T>(b.Slice(q * pIn, pIn), a.Slice(i * pIn, pIn), b.Slice(q * pIn, pIn));
            for (int r = 0; r < pOut; r++)
                for (int q = 0; q < pOut; q++)
                {
                    T sum = T.Zero;
                    foreach (int i in _sources[q]) sum += b[r * pIn + i];
                    a[r * pOut + q] = sum * scale;
                }
        }
    }
}

/// <summary>Sum pooling: <see cref="AvgPool"/> without the 1/|window| factor.</summary>
public sealed class SumPool(int[] window, int[]? strides, Padding padding) : AvgPool(window, strides, padding)
{
    /// <inheritdoc />
    protected override bool Average => false;
    /// <inheritdoc />
    public override string TypeName => "SumPool";
    internal static new SumPool FromArgs(LayerArgs args) { var (w, s, p) = ReadArgs(args); return new SumPool(w, s, p); }
}

#region Finite network

/// <summary>
/// Finite average (or sum) pooling: y_q = s·Σ_{i in window(q)} x_i per channel, s = 1/|window| with padding counted as
/// zeros (as the infinite-width transform) or 1; backward scatters s·dy_q back onto the window.
/// </summary>
internal sealed class FinitePool<T> : FiniteLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[][] _sources;
    private readonly T _scale;

    public FinitePool(FiniteContext context, Specs.TensorShape output, Window win, bool average) : base(context, output)
    {
        _scale = average ? T.One / T.CreateTruncating(win.Taps) : T.One;
        _sources = new int[win.Output.P][];
        for (int q = 0; q < _sources.Length; q++)
        {
            int oh = q / win.W.Out, ow = q % win.W.Out;
            var list = new List<int>(win.Taps);
            for (int kh = 0; kh < win.H.Size; kh++)
                for (int kw = 0; kw < win.W.Size; kw++)
                    if (win.Source(oh, ow, kh, kw) is var i && i >= 0) list.Add(i);
            _sources[q] = [.. list];
        }
    }

    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int n)
    {
        int c = InputShape.Channels;
        for (int e = 0; e < n; e++)
            for (int q = 0; q < _sources.Length; q++)
            {
                var target = y.Slice((e * _sources.Length + q) * c, c);
                target.Clear();
                foreach (int i in _sources[q]) System.Numerics.Tensors.TensorPrimitives.Add<T>(target, x.Slice(e * InputSize + i * c, c), target);
                System.Numerics.Tensors.TensorPrimitives.Multiply<T>(target, _scale, target);
            }
    }

    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int n, int m, IWeightGradientSink<T>? sink)
    {
        if (dx.IsEmpty) return;
        int c = InputShape.Channels;
        dx[..(n * m * InputSize)].Clear();
        for (int r = 0; r < n * m; r++)
            for (int q = 0; q < _sources.Length; q++)
            {
                var g = dy.Slice((r * _sources.Length + q) * c, c);
                foreach (int i in _sources[q])
                {
                    var target = dx.Slice(r * InputSize + i * c, c);
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd<T>(g, _scale, target, target);
                }
            }
    }
}

#endregion
