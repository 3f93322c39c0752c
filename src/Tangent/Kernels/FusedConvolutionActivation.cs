using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Tangent.Layers;
using Tangent.Numerics;

namespace Tangent.Kernels;

/// <summary>
/// A stride-1, SAME-padded, odd-sized convolution (NTK parameterisation) followed by a ReLU-family activation
/// (<see cref="ABRelu"/>), evaluated in one sweep over a pair's full position-position state: the CNTK's hot loop.
/// For each pair of image rows (h1, h2) the filter's taps along H are summed (into registers sliding along the row when
/// a row is one vector and the filter 3 wide, else into a small row buffer that stays in L1); the taps along W are lane
/// shifts of those sums (one two-register permute each), and the convolved covariance goes through the arc-cosine
/// transform while it is in registers or L1 (two vectors at a time on the sliding path). When a global pooling
/// follows, the sweep sums its output instead of writing it. The state is read once and written once per layer, instead of
/// four times by the separate convolution and activation passes.
/// </summary>
/// <remarks>
/// Applies on grid (not zipped) states whose image width is a multiple of the vector width (8 doubles or 16 floats:
/// 8×8, 16×16, 32×32 images); otherwise, and in the self pass (whose variances are read off the state after the
/// convolution), the two operations run one after the other.
/// </remarks>
internal sealed class FusedConvolutionActivation : ImageKernelOp
{
    /// <summary>Switch for tests that compare the fused sweep with the separate operations.</summary>
    internal static readonly ScopedSwitch Switch = new();

    private readonly DiagonalConvolution _convolution;
    private readonly ElementwiseImageOp _activation;
    private readonly ABRelu _relu;
    private readonly GlobalPoolImageOp? _pool;

    private FusedConvolutionActivation(DiagonalConvolution convolution, ElementwiseImageOp activation, ABRelu relu, GlobalPoolImageOp? pool)
    {
        _convolution = convolution;
        _activation = activation;
        _relu = relu;
        _pool = pool;
    }

    /// <summary>
    /// Replaces every eligible convolution + activation pair in <paramref name="ops"/> by the fused operation, taking in a
    /// global pooling that follows: the sweep then sums its output as it goes instead of writing it out for the pooling
    /// to read back.
    /// </summary>
    public static List<ImageKernelOp> Fuse(List<ImageKernelOp> ops)
    {
        var fused = new List<ImageKernelOp>(ops.Count);
        for (int i = 0; i < ops.Count; i++)
        {
            if (i + 1 < ops.Count && ops[i] is DiagonalConvolution conv && Eligible(conv.Window) && conv.FanIn == 0 &&
                ops[i + 1] is ElementwiseImageOp { Flat: ABRelu relu } act)
            {
                var pool = i + 2 < ops.Count ? ops[i + 2] as GlobalPoolImageOp : null;
                fused.Add(new FusedConvolutionActivation(conv, act, relu, pool));
                i += pool is null ? 1 : 2;
            }
            else fused.Add(ops[i]);
        }
        return fused;
    }

    /// <inheritdoc />
    public override bool NeedsFullCovariance => _convolution.NeedsFullCovariance || _activation.NeedsFullCovariance || _pool is not null;

    private static bool Eligible(Window w) =>
        !w.Circular && w.H.Stride == 1 && w.W.Stride == 1 && w.H.Size % 2 == 1 && w.W.Size % 2 == 1 &&
        w.H.Out == w.H.In && w.W.Out == w.W.In && w.H.PadBefore == w.H.Size / 2 && w.W.PadBefore == w.W.Size / 2;

    /// <inheritdoc />
    public override IEnumerable<ImageKernelOp> Children => _pool is null ? [_convolution, _activation] : [_convolution, _activation, _pool];

    /// <inheritdoc />
    protected override void Apply<T>(ImagePairState<T> s, IVarianceSupply supply)
    {
        if (!Switch.Enabled || supply.ReadsState || !Applies(s))
        {
            _convolution.Run(s, supply);
            _activation.Run(s, supply);
            _pool?.Run(s, supply);
            return;
        }
        // The variances at the activation's input (the convolution's output) come from records: supply them first.
        supply.Supply(s, _activation.Index);
        Sweep(s);
    }

    private bool Applies<T>(ImagePairState<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var win = _convolution.Window;
        int lanes = Vector512<T>.Count;
        return Avx512F.IsSupported && (typeof(T) == typeof(double) || typeof(T) == typeof(float)) &&
               !s.Zip && !s.IsFlat && s.G1 == win.Input && s.G2 == win.Input &&
               win.W.In % lanes == 0 && win.W.Size / 2 <= lanes;
    }

    private void Sweep<T>(ImagePairState<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var win = _convolution.Window;
        int h = win.H.In, w = win.W.In, p = h * w, lanes = Vector512<T>.Count;
        int pw = win.W.Size / 2;
        s.Reserve(p * p, p, p);
        var scratch = Scratch<T>.Get(w, p, lanes, pw);
        ABRelu.Roots<T>(s.Var1.AsSpan(0, p), scratch.Root1, scratch.Inv1);
        ABRelu.Roots<T>(s.Var2.AsSpan(0, p), scratch.Root2, scratch.Inv2);
        var pass = new Pass<T>(s, scratch, _relu.Vectors<T>(),
            Vector512.Create(T.CreateTruncating(_convolution.WeightVariance / win.Taps)), Vector512.Create(T.CreateTruncating(_convolution.BiasVariance)),
            h, w, win.H.Size / 2, pw, pool: _pool is not null);
        // Rows one vector wide under a 3-wide filter (8×8 float64, 16×16 float32 images): the W taps need only the H sums
        // of the row and its two neighbours, kept in registers as a sliding window; otherwise they go through a buffer.
        T nngpSum, ntkSum;
        if (w == lanes && pw == 1) SlidingWindowRows(in pass, out nngpSum, out ntkSum);
        else BufferedRows(in pass, out nngpSum, out ntkSum);
        s.NtkIsZero = false;
        if (_pool is not null) _pool.Finish(s, nngpSum, ntkSum);
        else s.SwapBuffers();
    }

    /// <summary>What one sweep works on: the state's buffers, this thread's scratch, and the layer's constants.</summary>
    private readonly struct Pass<T>(ImagePairState<T> s, Scratch<T> scratch, ArcCosineVectors<T> arc, Vector512<T> a, Vector512<T> b2, int h, int w, int ph, int pw, bool pool)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public readonly T[] InK = s.Nngp, InT = s.Ntk, OutK = s.NngpSpare, OutT = s.NtkSpare;
        public readonly Scratch<T> Scratch = scratch;
        public readonly ArcCosineVectors<T> Arc = arc;
        /// <summary>W²/taps (the convolution's weight per tap) and b², as vectors.</summary>
        public readonly Vector512<T> A = a, B2 = b2;
        public readonly int H = h, W = w, P = h * w, Ph = ph, Pw = pw;
        public readonly bool Ntk = s.WithNtk, NtkInput = s.WithNtk && !s.NtkIsZero;
        /// <summary>Sum the output over all position pairs (for a global pooling) instead of storing it.</summary>
        public readonly bool Pool = pool;
    }

    /// <summary>
    /// Rows of one vector and a 3-wide filter along W: for each pair of image rows (h1, h2), the H-tap sums of the rows
    /// w1 − 1, w1 and w1 + 1 sit in registers and slide along w1, each summed once; the W taps are two lane shifts
    /// (permutes against zero, which is the padding). The convolved row (w vectors) goes to a buffer in L1 and from there
    /// through the activation two vectors at a time (<see cref="Pack2{T}"/>): 13–17 % faster than
    /// <see cref="BufferedRows{T}"/> on 8×8 float64 pairs before the pairs, which added 10–40 % in float32 (16×16) and a few
    /// per cent at most in float64 (8×8), where the pair and the loop compete for registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own inlining budget: the arc-cosine body must inline completely
    private static void SlidingWindowRows<T>(in Pass<T> c, out T nngpSum, out T ntkSum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int g = ImagePairState<T>.Guard;
        int h = c.H, w = c.W, p = c.P, ph = c.Ph;
        bool ntk = c.Ntk, ntkInput = c.NtkInput, pool = c.Pool;
        var arc = c.Arc;
        var a = c.A;
        var b2 = c.B2;
        T absWeight = arc.AbsWeight;
        Vector512<T> poolK = default, poolT = default;
        var up = ShiftIndices<T>(1);
        var down = ShiftIndices<T>(-1);
        var zero = Vector512<T>.Zero;
        ref T inK = ref MemoryMarshal.GetArrayDataReference(c.InK);
        ref T inT = ref MemoryMarshal.GetArrayDataReference(c.InT);
        ref T outK = ref MemoryMarshal.GetArrayDataReference(c.OutK);
        ref T outT = ref MemoryMarshal.GetArrayDataReference(c.OutT);
        ref T root1 = ref MemoryMarshal.GetArrayDataReference(c.Scratch.Root1);
        ref T inv1 = ref MemoryMarshal.GetArrayDataReference(c.Scratch.Inv1);
        ref T root2 = ref MemoryMarshal.GetArrayDataReference(c.Scratch.Root2);
        ref T inv2 = ref MemoryMarshal.GetArrayDataReference(c.Scratch.Inv2);
        // The row buffers of BufferedRows, used here from their start, over what that path keeps as its zero frame: a
        // scratch belongs to one geometry and element type, and those choose the path, so the two never share one.
        ref T rowK = ref MemoryMarshal.GetArrayDataReference(c.Scratch.RowK);
        ref T rowT = ref MemoryMarshal.GetArrayDataReference(c.Scratch.RowT);
        int lanes = Vector512<T>.Count;
        nint step = w * p + w; // one tap along H: both positions move down a row
        for (int h1 = 0; h1 < h; h1++)
        for (int h2 = 0; h2 < h; h2++)
        {
            int taps = TapsAlongH(h, ph, h1, h2, out int dhLo);
            nint first = g + h1 * w * p + h2 * w + dhLo * step;
            ref T srcK = ref Unsafe.Add(ref inK, first);
            ref T srcT = ref Unsafe.Add(ref inT, first);
            int q2 = h2 * w;
            var r2 = Vector512.LoadUnsafe(ref root2, (nuint)q2);
            var i2 = Vector512.LoadUnsafe(ref inv2, (nuint)q2);
            ref T outKRow = ref Unsafe.Add(ref outK, g + h1 * w * p + q2);
            ref T outTRow = ref Unsafe.Add(ref outT, g + h1 * w * p + q2);
            ref T r1Row = ref Unsafe.Add(ref root1, h1 * w);
            ref T i1Row = ref Unsafe.Add(ref inv1, h1 * w);
            Vector512<T> previousK = zero, previousT = zero;
            var currentK = TapSum(ref srcK, taps, step);
            var currentT = ntkInput ? TapSum(ref srcT, taps, step) : zero;
            // 1. The convolved row, w1 by w1 with the H sums sliding, into a small buffer: the transform's pairs (below)
            // need most of the registers, and with the sliding window live too they spilled.
            for (int w1 = 0; w1 < w; w1++)
            {
                Vector512<T> nextK = zero, nextT = zero;
                if (w1 + 1 < w)
                {
                    nextK = TapSum(ref Unsafe.Add(ref srcK, (w1 + 1) * p), taps, step);
                    if (ntkInput) nextT = TapSum(ref Unsafe.Add(ref srcT, (w1 + 1) * p), taps, step);
                }
                var k = VectorMath.Fma(a, currentK + Concatenated(nextK, up, zero) + Concatenated(zero, down, previousK), b2);
                k.StoreUnsafe(ref rowK, (nuint)(w1 * lanes));
                // Θ' = (Σ' + W²·mean Θ)·Ṫ (Σ'·Ṫ before the first weight layer): the factor before Ṫ.
                (ntkInput ? VectorMath.Fma(a, currentT + Concatenated(nextT, up, zero) + Concatenated(zero, down, previousT), k) : k)
                    .StoreUnsafe(ref rowT, (nuint)(w1 * lanes));
                previousK = currentK; currentK = nextK;
                previousT = currentT; currentT = nextT;
            }
            // 2. The activation, two vectors (w1, w1 + 1) at a time (see Pack2); the row width is a whole number of vectors, so even.
            var r2Pair = Pack2<T>.Splat(r2);
            var i2Pair = Pack2<T>.Splat(i2);
            for (int w1 = 0; w1 < w; w1 += 2)
            {
                nuint at = (nuint)(w1 * lanes);
                var k = Pack2<T>.Load(ref rowK, at, (nuint)lanes);
                var r1 = new Pack2<T>(Vector512.Create(Unsafe.Add(ref r1Row, w1) * absWeight), Vector512.Create(Unsafe.Add(ref r1Row, w1 + 1) * absWeight));
                var i1 = new Pack2<T>(Vector512.Create(Unsafe.Add(ref i1Row, w1)), Vector512.Create(Unsafe.Add(ref i1Row, w1 + 1)));
                var kOut = arc.Apply(k, r1 * r2Pair, i1 * i2Pair, out var tdot);
                var tOut = Pack2<T>.Load(ref rowT, at, (nuint)lanes) * tdot;
                if (pool) { poolK += kOut.A; poolT += tOut.A; poolK += kOut.B; poolT += tOut.B; }
                else
                {
                    nuint o = (nuint)(w1 * p);
                    kOut.Store(ref outKRow, o, (nuint)p);
                    if (ntk) tOut.Store(ref outTRow, o, (nuint)p);
                }
            }
        }
        nngpSum = Vector512.Sum(poolK);
        ntkSum = Vector512.Sum(poolT);
    }

    /// <summary>
    /// The taps along H of the output rows (h1, h2): both positions move by the same dh, and both must stay inside the
    /// image. Returns how many, with the first dh in <paramref name="first"/>.
    /// </summary>
    private static int TapsAlongH(int h, int ph, int h1, int h2, out int first)
    {
        first = Math.Max(-ph, Math.Max(-h1, -h2));
        return Math.Min(ph, Math.Min(h - 1 - h1, h - 1 - h2)) - first + 1;
    }

    /// <summary>Σ over <paramref name="taps"/> vectors <paramref name="step"/> apart from <paramref name="source"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> TapSum<T>(ref T source, int taps, nint step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sum = Vector512.LoadUnsafe(ref source);
        for (int t = 1; t < taps; t++) sum += Vector512.LoadUnsafe(ref Unsafe.Add(ref source, t * step));
        return sum;
    }

    /// <summary>
    /// Any width that is a whole number of vectors and any odd filter: for each pair of image rows (h1, h2) the H-tap
    /// sums go into a small row buffer that stays in L1, and the W taps are lane shifts of whole buffered rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BufferedRows<T>(in Pass<T> c, out T nngpSum, out T ntkSum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int g = ImagePairState<T>.Guard;
        int h = c.H, w = c.W, p = c.P, ph = c.Ph, pw = c.Pw, lanes = Vector512<T>.Count, chunks = w / lanes;
        // Row buffer: w rows (one per w1') of w entries, framed by zeros - a vector on either side of each row and pw
        // whole rows above and below - so every W tap reads its row and a neighbouring vector, padding reading as 0,
        // without branches. Every load is at a whole-vector offset of a row just stored: no split loads, and no loads
        // straddling two earlier stores (which cannot be forwarded and stalled the earlier misaligned-load form).
        int stride = Scratch<T>.RowStride(w, lanes), first = pw * stride + lanes;
        bool ntk = c.Ntk, ntkInput = c.NtkInput, pool = c.Pool;
        var arc = c.Arc;
        var a = c.A;
        var b2 = c.B2;
        T absWeight = arc.AbsWeight;
        Vector512<T> poolK = default, poolT = default;
        ref T inK = ref MemoryMarshal.GetArrayDataReference(c.InK);
        ref T inT = ref MemoryMarshal.GetArrayDataReference(c.InT);
        ref T outK = ref MemoryMarshal.GetArrayDataReference(c.OutK);
        ref T outT = ref MemoryMarshal.GetArrayDataReference(c.OutT);
        ref T rowK = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c.Scratch.RowK), first);
        ref T rowT = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c.Scratch.RowT), first);
        ref T root1 = ref MemoryMarshal.GetArrayDataReference(c.Scratch.Root1);
        ref T inv1 = ref MemoryMarshal.GetArrayDataReference(c.Scratch.Inv1);
        ref T root2 = ref MemoryMarshal.GetArrayDataReference(c.Scratch.Root2);
        ref T inv2 = ref MemoryMarshal.GetArrayDataReference(c.Scratch.Inv2);
        // Lane-shift indices for the W taps: shift[pw + dw] moves lane w2 + dw of a row (and its neighbouring vector) to lane w2.
        Span<Vector512<T>> shift = stackalloc Vector512<T>[2 * pw + 1];
        for (int dw = -pw; dw <= pw; dw++) shift[pw + dw] = ShiftIndices<T>(dw);
        nint step = w * p + w; // one tap along H: both positions move down a row

        for (int h1 = 0; h1 < h; h1++)
        for (int h2 = 0; h2 < h; h2++)
        {
            // 1. Taps along H, into the row buffer.
            int taps = TapsAlongH(h, ph, h1, h2, out int dhLo);
            nint source = g + h1 * w * p + h2 * w + dhLo * step;
            for (int w1 = 0; w1 < w; w1++)
            for (int ch = 0; ch < chunks; ch++)
            {
                nint from = source + w1 * p + ch * lanes;
                nuint at = (nuint)(w1 * stride + ch * lanes);
                TapSum(ref Unsafe.Add(ref inK, from), taps, step).StoreUnsafe(ref rowK, at);
                if (ntkInput) TapSum(ref Unsafe.Add(ref inT, from), taps, step).StoreUnsafe(ref rowT, at);
            }
            // 2. Taps along W, each a lane shift of a whole buffered row (two-register permutes: the zero frame supplies
            // the padding), and straight on through the activation while still in registers. Consecutive vectors are
            // independent, so the long arcsin dependency chains overlap.
            for (int w1 = 0; w1 < w; w1++)
            {
                int q1 = h1 * w + w1;
                var r1 = Vector512.Create(Unsafe.Add(ref root1, q1) * absWeight);
                var i1 = Vector512.Create(Unsafe.Add(ref inv1, q1));
                for (int ch = 0; ch < chunks; ch++)
                {
                    nint at = w1 * stride + ch * lanes;
                    var sumK = Vector512.LoadUnsafe(ref Unsafe.Add(ref rowK, at));
                    var sumT = ntkInput ? Vector512.LoadUnsafe(ref Unsafe.Add(ref rowT, at)) : default;
                    for (int dw = 1; dw <= pw; dw++)
                    {
                        nint up = at + dw * stride, down = at - dw * stride;
                        var above = shift[pw + dw];
                        var below = shift[pw - dw];
                        sumK += Concatenated(Vector512.LoadUnsafe(ref Unsafe.Add(ref rowK, up)), above, Vector512.LoadUnsafe(ref Unsafe.Add(ref rowK, up + lanes)));
                        sumK += Concatenated(Vector512.LoadUnsafe(ref Unsafe.Add(ref rowK, down - lanes)), below, Vector512.LoadUnsafe(ref Unsafe.Add(ref rowK, down)));
                        if (ntkInput)
                        {
                            sumT += Concatenated(Vector512.LoadUnsafe(ref Unsafe.Add(ref rowT, up)), above, Vector512.LoadUnsafe(ref Unsafe.Add(ref rowT, up + lanes)));
                            sumT += Concatenated(Vector512.LoadUnsafe(ref Unsafe.Add(ref rowT, down - lanes)), below, Vector512.LoadUnsafe(ref Unsafe.Add(ref rowT, down)));
                        }
                    }
                    var k = VectorMath.Fma(a, sumK, b2);
                    int q2 = h2 * w + ch * lanes;
                    var r2 = Vector512.LoadUnsafe(ref root2, (nuint)q2);
                    var i2 = Vector512.LoadUnsafe(ref inv2, (nuint)q2);
                    nuint o = (nuint)(g + q1 * p + q2);
                    var kOut = arc.Apply(k, r1 * r2, i1 * i2, out var tdot);
                    // Θ' = (Σ' + W²·mean Θ)·Ṫ (Σ'·Ṫ before the first weight layer).
                    var tOut = (ntkInput ? VectorMath.Fma(a, sumT, k) : k) * tdot;
                    if (pool) { poolK += kOut; poolT += tOut; }
                    else
                    {
                        kOut.StoreUnsafe(ref outK, o);
                        if (ntk) tOut.StoreUnsafe(ref outT, o);
                    }
                }
            }
        }
        nngpSum = Vector512.Sum(poolK);
        ntkSum = Vector512.Sum(poolT);
    }

    /// <summary>
    /// Indices for <see cref="Concatenated{T}"/> that shift a row by <paramref name="dw"/> lanes: lane i takes lane i + dw of
    /// the row, reaching into the next vector for dw &gt; 0 (taken as the upper source) or the previous one for dw &lt; 0
    /// (the lower source).
    /// </summary>
    private static Vector512<T> ShiftIndices<T>(int dw) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count, start = dw >= 0 ? dw : lanes + dw;
        if (typeof(T) == typeof(double)) return (Vector512<long>.Indices + Vector512.Create((long)start)).As<long, T>();
        return (Vector512<int>.Indices + Vector512.Create(start)).As<int, T>();
    }

    /// <summary>Lanes of the 2-vector concatenation (<paramref name="low"/>, <paramref name="high"/>) picked by <paramref name="indices"/>: one permute.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Concatenated<T>(Vector512<T> low, Vector512<T> indices, Vector512<T> high) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return Avx512F.PermuteVar8x64x2(low.AsDouble(), indices.AsInt64(), high.AsDouble()).As<double, T>();
        return Avx512F.PermuteVar16x32x2(low.AsSingle(), indices.AsInt32(), high.AsSingle()).As<float, T>();
    }

    private sealed class Scratch<T> where T : unmanaged
    {
        // One per geometry and thread: the zero borders of the row buffers must never be overwritten, and layers of
        // different sizes (after pooling) must not reallocate per pair.
        [ThreadStatic] private static Dictionary<(int, int, int), Scratch<T>>? _byShape;
        public T[] RowK = [], RowT = [], Root1 = [], Inv1 = [], Root2 = [], Inv2 = [];

        /// <summary>Distance between buffered rows: the row and a zero vector on either side.</summary>
        public static int RowStride(int width, int lanes) => width + 2 * lanes;

        public static Scratch<T> Get(int width, int positions, int lanes, int halfFilter)
        {
            var all = _byShape ??= new();
            if (all.TryGetValue((width, positions, halfFilter), out var s)) return s;
            int rowLength = RowStride(width, lanes) * (width + 2 * halfFilter);
            s = new Scratch<T>
            {
                RowK = new T[rowLength], RowT = new T[rowLength],
                Root1 = new T[positions], Inv1 = new T[positions], Root2 = new T[positions], Inv2 = new T[positions],
            };
            all[(width, positions, halfFilter)] = s;
            return s;
        }
    }
}
