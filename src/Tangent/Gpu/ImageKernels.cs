using System.Numerics;
using ILGPU;

namespace Tangent.Gpu;

/// <summary>
/// The state of a batch of image pairs on the device. Pair b of the batch pairs image PairA[b] of set 1 with image
/// PairB[b] of set 2; its NNGP and NTK occupy entries [b · Count, (b + 1) · Count) of K and T: a P x P grid of position
/// pairs (row-major), or P entries when only equal positions are tracked (zipped), or one entry once pooled.
/// </summary>
internal struct ImageBatchArgs<T> where T : unmanaged
{
    public ArrayView<T> K, Th, SpareK, SpareTh;
    public ArrayView<int> PairA, PairB;
    /// <summary>Images of each set, each stored as C rows of P0 positions (channel sums run over contiguous rows).</summary>
    public ArrayView<T> Images1, Images2;
    /// <summary>Per-image variance records of the spatial part, <c>[image · TraceLength + SlotOffset[slot] + position]</c>.</summary>
    public ArrayView<T> Trace1, Trace2;
    public ArrayView<int> SlotOffset;
    /// <summary>The elementwise ops of the spatial part (code and slot; four parameters each).</summary>
    public ArrayView<int> Codes;
    public ArrayView<T> Params;
    public int TraceLength, Channels, P0;
    /// <summary>Positions of the current geometry and 1 for a grid state, 0 for a zipped one.</summary>
    public int P, Grid;
    public T InvChannels;
}

/// <summary>A convolution window on the device: the two axes of <c>Tangent.Layers.Window</c> and the layer's scalars.</summary>
internal struct ConvArgs<T> where T : unmanaged
{
    public int HIn, HOut, HSize, HStride, HPad, WIn, WOut, WSize, WStride, WPad, Circular;
    /// <summary>W²/taps, b², and fan_in/taps (0 in NTK parameterisation).</summary>
    public T W2OverTaps, B2, FanOverTaps;
    /// <summary>Elementwise ops [OpFrom, OpTo) fused after the convolution.</summary>
    public int OpFrom, OpTo;
}

/// <summary>The pooled tail: how the spatial state becomes one value per pair, then the flat layers after it.</summary>
internal struct TailArgs<T> where T : unmanaged
{
    public ArrayView<T> RowK, RowT, OutK, OutT;
    /// <summary>Flat tail program and its per-image variance records <c>[slot · N + image]</c>.</summary>
    public ArrayView<int> Codes;
    public ArrayView<T> Params, Trace1, Trace2;
    public int Ops, N1, N2;
    /// <summary>0: global pooling over all position pairs (sum of row sums); 1: mean of the grid's diagonal (Flatten); 2: mean of a zipped state (Flatten).</summary>
    public int Mode;
    public T Scale;
}

/// <summary>
/// ILGPU kernels of the convolutional NTK, one thread per entry of the batch's state. They mirror the CPU image engine:
/// Σ0 from channel sums, the convolution as a "diagonal" convolution of the position-position covariance (taps that read
/// padding add nothing), elementwise layers with per-position variances from the images' self pairs, then global pooling
/// or Flatten and the flat tail.
/// </summary>
internal static class ImageKernels
{
    /// <summary>Σ0(q1, q2) = Σ_c x[c, q1]·x'[c, q2] / C and Θ0 = 0, for the grid (Grid = 1) or the diagonal (Grid = 0).</summary>
    public static void Init<T>(Index1D e, ImageBatchArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = a.Grid != 0 ? a.P0 * a.P0 : a.P0;
        int b = e / count, r = e % count;
        int q1 = a.Grid != 0 ? r / a.P0 : r, q2 = a.Grid != 0 ? r % a.P0 : r;
        int img1 = a.PairA[b] * a.Channels * a.P0, img2 = a.PairB[b] * a.Channels * a.P0;
        T s = T.Zero;
        for (int c = 0; c < a.Channels; c++)
            s += a.Images2[img2 + c * a.P0 + q2] * (a.Images1[img1 + c * a.P0 + q1] * a.InvChannels);
        a.K[e] = s;
        a.Th[e] = T.Zero;
    }

    /// <summary>
    /// One output entry of a convolution on a grid state: sums the input entries that tap k of both output positions read
    /// (the same shift for both), scales, adds the bias, then applies the fused elementwise ops. Writes the spare buffers.
    /// </summary>
    public static void ConvGrid<T, P>(Index1D e, ImageBatchArgs<T> a, ConvArgs<T> w) where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
    {
        int pOut = w.HOut * w.WOut, pIn = w.HIn * w.WIn;
        int b = e / (pOut * pOut), r = e % (pOut * pOut);
        int q1 = r / pOut, q2 = r % pOut;
        int oh1 = q1 / w.WOut, ow1 = q1 % w.WOut, oh2 = q2 / w.WOut, ow2 = q2 % w.WOut;
        int baseIn = b * pIn * pIn;
        T sumK = T.Zero, sumT = T.Zero;
        for (int kh = 0; kh < w.HSize; kh++)
        {
            int h1 = Source(oh1, kh, w.HIn, w.HStride, w.HPad, w.Circular), h2 = Source(oh2, kh, w.HIn, w.HStride, w.HPad, w.Circular);
            if (h1 < 0 || h2 < 0) continue;
            for (int kw = 0; kw < w.WSize; kw++)
            {
                int w1 = Source(ow1, kw, w.WIn, w.WStride, w.WPad, w.Circular), w2 = Source(ow2, kw, w.WIn, w.WStride, w.WPad, w.Circular);
                if (w1 < 0 || w2 < 0) continue;
                int at = baseIn + (h1 * w.WIn + w1) * pIn + h2 * w.WIn + w2;
                sumK += a.K[at];
                sumT += a.Th[at];
            }
        }
        Finish(w, sumK, sumT, out T k, out T t);
        ApplyOps<T, P>(a, w.OpFrom, w.OpTo, b, q1, q2, ref k, ref t);
        a.SpareK[e] = k;
        a.SpareTh[e] = t;
    }

    /// <summary>The same on a zipped state: output position q reads input positions src(q, k) of both images.</summary>
    public static void ConvZip<T, P>(Index1D e, ImageBatchArgs<T> a, ConvArgs<T> w) where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
    {
        int pOut = w.HOut * w.WOut, pIn = w.HIn * w.WIn;
        int b = e / pOut, q = e % pOut;
        int oh = q / w.WOut, ow = q % w.WOut;
        int baseIn = b * pIn;
        T sumK = T.Zero, sumT = T.Zero;
        for (int kh = 0; kh < w.HSize; kh++)
        {
            int h = Source(oh, kh, w.HIn, w.HStride, w.HPad, w.Circular);
            if (h < 0) continue;
            for (int kw = 0; kw < w.WSize; kw++)
            {
                int x = Source(ow, kw, w.WIn, w.WStride, w.WPad, w.Circular);
                if (x < 0) continue;
                sumK += a.K[baseIn + h * w.WIn + x];
                sumT += a.Th[baseIn + h * w.WIn + x];
            }
        }
        Finish(w, sumK, sumT, out T k, out T t);
        ApplyOps<T, P>(a, w.OpFrom, w.OpTo, b, q, q, ref k, ref t);
        a.SpareK[e] = k;
        a.SpareTh[e] = t;
    }

    /// <summary>Σ' = W²/taps·ΣK + b²; Θ' = W²/taps·ΣΘ + Σ' (NTK parameterisation) or W²/taps·ΣΘ + 1 + fan/taps·ΣK (standard).</summary>
    private static void Finish<T>(ConvArgs<T> w, T sumK, T sumT, out T k, out T t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (w.FanOverTaps > T.Zero)
        {
            t = sumK * w.FanOverTaps + (w.W2OverTaps * sumT + T.One);
            k = w.W2OverTaps * sumK + w.B2;
        }
        else
        {
            k = w.W2OverTaps * sumK + w.B2;
            t = w.W2OverTaps * sumT + k;
        }
    }

    /// <summary>The input index tap <paramref name="k"/> of output <paramref name="o"/> reads along one axis, or -1 for padding (as <c>Axis.Source</c>).</summary>
    private static int Source(int o, int k, int size, int stride, int pad, int circular)
    {
        int i = o * stride - pad + k;
        if (circular != 0) return ((i % size) + size) % size;
        return i >= 0 && i < size ? i : -1;
    }

    /// <summary>Elementwise ops [from, to) in place on every entry of the current state.</summary>
    public static void Elementwise<T, P>(Index1D e, ImageBatchArgs<T> a, int from, int to) where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
    {
        int count = a.Grid != 0 ? a.P * a.P : a.P;
        int b = e / count, r = e % count;
        int q1 = a.Grid != 0 ? r / a.P : r, q2 = a.Grid != 0 ? r % a.P : r;
        T k = a.K[e], t = a.Th[e];
        ApplyOps<T, P>(a, from, to, b, q1, q2, ref k, ref t);
        a.K[e] = k;
        a.Th[e] = t;
    }

    private static void ApplyOps<T, P>(ImageBatchArgs<T> a, int from, int to, int b, int q1, int q2, ref T k, ref T t)
        where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
    {
        for (int op = from; op < to; op++)
        {
            int slot = a.Codes[2 * op + 1];
            T v1 = T.Zero, v2 = T.Zero;
            if (slot >= 0)
            {
                int off = a.SlotOffset[slot];
                v1 = a.Trace1[a.PairA[b] * a.TraceLength + off + q1];
                v2 = a.Trace2[a.PairB[b] * a.TraceLength + off + q2];
            }
            FlatOps.Apply<T, P>(a.Codes[2 * op], a.Params[4 * op], a.Params[4 * op + 1], a.Params[4 * op + 2], a.Params[4 * op + 3], v1, v2, ref k, ref t);
        }
    }

    /// <summary>Self pass: records the diagonal (position q with itself) of each self pair's state as image PairA[b]'s variances at slot <paramref name="slot"/>.</summary>
    public static void Record<T>(Index1D e, ImageBatchArgs<T> a, int slot) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int b = e / a.P, q = e % a.P;
        int at = a.Grid != 0 ? b * a.P * a.P + q * a.P + q : b * a.P + q;
        a.Trace1[a.PairA[b] * a.TraceLength + a.SlotOffset[slot] + q] = a.K[at];
    }

    /// <summary>Sum of each grid row of the NNGP and NTK (the first half of global pooling).</summary>
    public static void RowSums<T>(Index1D e, ImageBatchArgs<T> a, TailArgs<T> tail) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int start = e * a.P;
        T k = T.Zero, t = T.Zero;
        for (int q = 0; q < a.P; q++) { k += a.K[start + q]; t += a.Th[start + q]; }
        tail.RowK[e] = k;
        tail.RowT[e] = t;
    }

    /// <summary>
    /// One thread per pair: pools the spatial state (sum of row sums, or the mean over equal positions for Flatten),
    /// then runs the flat tail program with the images' tail variances, and writes the pair's kernel values.
    /// </summary>
    public static void Pool<T, P>(Index1D b, ImageBatchArgs<T> a, TailArgs<T> tail) where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
    {
        T k = T.Zero, t = T.Zero;
        if (tail.Mode == 0)
            for (int q = 0; q < a.P; q++) { k += tail.RowK[b * a.P + q]; t += tail.RowT[b * a.P + q]; }
        else if (tail.Mode == 1)
            for (int q = 0; q < a.P; q++) { k += a.K[b * a.P * a.P + q * a.P + q]; t += a.Th[b * a.P * a.P + q * a.P + q]; }
        else
            for (int q = 0; q < a.P; q++) { k += a.K[b * a.P + q]; t += a.Th[b * a.P + q]; }
        k *= tail.Scale;
        t *= tail.Scale;
        int i = a.PairA[b], j = a.PairB[b];
        for (int op = 0; op < tail.Ops; op++)
        {
            int slot = tail.Codes[2 * op + 1];
            T v1 = T.Zero, v2 = T.Zero;
            if (slot >= 0) { v1 = tail.Trace1[slot * tail.N1 + i]; v2 = tail.Trace2[slot * tail.N2 + j]; }
            FlatOps.Apply<T, P>(tail.Codes[2 * op], tail.Params[4 * op], tail.Params[4 * op + 1], tail.Params[4 * op + 2], tail.Params[4 * op + 3], v1, v2, ref k, ref t);
        }
        tail.OutK[b] = k;
        tail.OutT[b] = t;
    }
}
