using System.Numerics;
using Tangent.Layers;
using Tangent.Numerics;

namespace Tangent.Kernels;

/// <summary>
/// The kernel transform of a convolution: Σ'(q, q') = W² · mean_k Σ(i(q,k), i(q',k)) + b² and
/// Θ'(q, q') = Σ'(q, q') + W² · mean_k Θ(i(q,k), i(q',k)) (standard parameterisation:
/// Θ' = fan_in · mean_k Σ + 1 + W² · mean_k Θ). Grid and zipped states; a vectorised path for stride 1 with SAME padding.
/// </summary>
internal sealed class DiagonalConvolution(Window window, double w2, double b2, int fanIn) : ImageKernelOp
{
    /// <summary>The filter window bound to the input geometry.</summary>
    public Window Window => window;
    /// <summary>W_std².</summary>
    public double WeightVariance => w2;
    /// <summary>b_std².</summary>
    public double BiasVariance => b2;
    /// <summary>The fan-in used by standard parameterisation, 0 in NTK parameterisation.</summary>
    public int FanIn => fanIn;

    protected override void Apply<T>(ImagePairState<T> s, IVarianceSupply supply)
    {
        var win = window;
        if (s.G1 != win.Input || s.G2 != win.Input && !s.Zip)
            throw new InvalidOperationException($"convolution bound to {win.Input} applied to {s.G1} x {s.G2}");
        var output = win.Output;
        int countOut = s.Zip ? output.P : output.P * output.P;
        s.Reserve(countOut, output.P, output.P);
        // Accumulate the tap sums into the spare buffers.
        var sumK = s.NngpSpare.AsSpan(ImagePairState<T>.Guard, countOut);
        // Before the first weight layer the NTK is zero: in NTK parameterisation Θ' is then just Σ'.
        bool zeroNtk = s.NtkIsZero && fanIn == 0;
        var sumT = s.WithNtk && !zeroNtk ? s.NtkSpare.AsSpan(ImagePairState<T>.Guard, countOut) : default;
        if (s.Zip) ZipSums(s, sumK, sumT);
        else if (ConvolutionFastPath.Applies(win)) ConvolutionFastPath.GridSums(win, s, sumK, sumT);
        else GridSums(s, sumK, sumT);
        Finish(sumK, sumT, T.CreateTruncating(w2 / win.Taps), T.CreateTruncating(b2), fanIn, T.CreateTruncating(1.0 / win.Taps));
        if (s.WithNtk && zeroNtk) sumK.CopyTo(s.NtkSpare.AsSpan(ImagePairState<T>.Guard, countOut));
        s.NtkIsZero = false;
        s.SwapBuffers();
        s.G1 = output;
        s.G2 = output;
    }

    /// <summary>sumK becomes Σ', sumT becomes Θ' (both in place), from the raw tap sums.</summary>
    private static void Finish<T>(Span<T> sumK, Span<T> sumT, T w2OverTaps, T b2, int fanIn, T invTaps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (fanIn > 0 && !sumT.IsEmpty)
        {
            // Standard parameterisation: Θ' = fan_in · mean_k Σ + 1 + W² · mean_k Θ, from the raw sums.
            SpanMath.Affine(sumT, w2OverTaps, T.One);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd<T>(sumK, T.CreateTruncating(fanIn) * invTaps, sumT, sumT);
            SpanMath.Affine(sumK, w2OverTaps, b2);
            return;
        }
        SpanMath.Affine(sumK, w2OverTaps, b2);
        if (!sumT.IsEmpty) SpanMath.ScaleAdd(sumT, w2OverTaps, sumK);
    }

    private void GridSums<T>(ImagePairState<T> s, Span<T> sumK, Span<T> sumT) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var win = window;
        var inK = s.NngpSpan;
        var inT = s.NtkSpan;
        int pIn = win.Input.P, pOut = win.Output.P;
        sumK.Clear();
        sumT.Clear();
        for (int oh1 = 0; oh1 < win.H.Out; oh1++)
        for (int ow1 = 0; ow1 < win.W.Out; ow1++)
        {
            int row = (oh1 * win.W.Out + ow1) * pOut;
            for (int kh = 0; kh < win.H.Size; kh++)
            for (int kw = 0; kw < win.W.Size; kw++)
            {
                int src1 = win.Source(oh1, ow1, kh, kw);
                if (src1 < 0) continue;
                int inRow = src1 * pIn;
                for (int oh2 = 0; oh2 < win.H.Out; oh2++)
                for (int ow2 = 0; ow2 < win.W.Out; ow2++)
                {
                    int src2 = win.Source(oh2, ow2, kh, kw);
                    if (src2 < 0) continue;
                    int o = row + oh2 * win.W.Out + ow2;
                    sumK[o] += inK[inRow + src2];
                    if (!sumT.IsEmpty) sumT[o] += inT[inRow + src2];
                }
            }
        }
    }

    private void ZipSums<T>(ImagePairState<T> s, Span<T> sumK, Span<T> sumT) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var win = window;
        var inK = s.NngpSpan;
        var inT = s.NtkSpan;
        sumK.Clear();
        sumT.Clear();
        for (int oh = 0; oh < win.H.Out; oh++)
        for (int ow = 0; ow < win.W.Out; ow++)
        {
            int o = oh * win.W.Out + ow;
            for (int kh = 0; kh < win.H.Size; kh++)
            for (int kw = 0; kw < win.W.Size; kw++)
            {
                int src = win.Source(oh, ow, kh, kw);
                if (src < 0) continue;
                sumK[o] += inK[src];
                if (!sumT.IsEmpty) sumT[o] += inT[src];
            }
        }
    }
}
