using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Tangent.Layers;

namespace Tangent.Kernels;

/// <summary>
/// The tap sums of a stride-1, SAME-padded, odd-sized convolution on a grid state, vectorised along the second image's
/// rows: out(q1, (h2, ·)) = Σ_taps masked shifted rows of the input, accumulated in registers, one Vector512 per image
/// row chunk (a whole row for 8-wide float64 or 16-wide float32 images). Taps that read padding are masked to zero.
/// </summary>
internal static class ConvolutionFastPath
{
    /// <summary>Switch for tests that compare the fast path with the general one.</summary>
    internal static bool Enabled = true;

    public static bool Applies(Window w) =>
        Enabled && Vector512.IsHardwareAccelerated && !w.Circular && w.H.Stride == 1 && w.W.Stride == 1 &&
        w.H.Size % 2 == 1 && w.W.Size % 2 == 1 && w.H.Out == w.H.In && w.W.Out == w.W.In &&
        w.H.PadBefore == w.H.Size / 2 && w.W.PadBefore == w.W.Size / 2 && w.W.Size / 2 + 16 <= 64;

    public static void GridSums<T>(Window win, ImagePairState<T> s, Span<T> sumK, Span<T> sumT) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h = win.H.In, w = win.W.In, p = h * w, lanes = Vector512<T>.Count, chunks = (w + lanes - 1) / lanes;
        int ph = win.H.PadBefore, pw = win.W.PadBefore;
        const int g = ImagePairState<T>.Guard;
        // masks[(dw + pw) * chunks + c]: lanes whose column w2 = c·lanes + lane is in the image and reads inside it.
        Span<Vector512<T>> masks = stackalloc Vector512<T>[(2 * pw + 1) * chunks];
        Span<Vector512<T>> inImage = stackalloc Vector512<T>[chunks];
        var lane = Vector512<T>.Indices;
        var width = Vector512.Create(T.CreateTruncating(w));
        for (int c = 0; c < chunks; c++)
        {
            var col = lane + Vector512.Create(T.CreateTruncating(c * lanes));
            inImage[c] = Vector512.LessThan(col, width);
            for (int dw = -pw; dw <= pw; dw++)
            {
                var src = col + Vector512.Create(T.CreateTruncating(dw));
                masks[(dw + pw) * chunks + c] = inImage[c] & Vector512.GreaterThanOrEqual(src, Vector512<T>.Zero) & Vector512.LessThan(src, width);
            }
        }
        bool ntk = !sumT.IsEmpty;
        ref T inK = ref MemoryMarshal.GetArrayDataReference(s.Nngp);
        ref T inT = ref MemoryMarshal.GetArrayDataReference(s.Ntk);
        ref T outK = ref MemoryMarshal.GetArrayDataReference(s.NngpSpare);
        ref T outT = ref MemoryMarshal.GetArrayDataReference(s.NtkSpare);
        for (int h1 = 0; h1 < h; h1++)
        for (int w1 = 0; w1 < w; w1++)
        {
            int q1 = h1 * w + w1;
            for (int h2 = 0; h2 < h; h2++)
            {
                for (int c = 0; c < chunks; c++)
                {
                    var accK = Vector512<T>.Zero;
                    var accT = Vector512<T>.Zero;
                    for (int dh = -ph; dh <= ph; dh++)
                    {
                        int r1h = h1 + dh, r2h = h2 + dh;
                        if ((uint)r1h >= (uint)h || (uint)r2h >= (uint)h) continue;
                        for (int dw = -pw; dw <= pw; dw++)
                        {
                            int r1w = w1 + dw;
                            if ((uint)r1w >= (uint)w) continue;
                            nuint off = (nuint)(g + (r1h * w + r1w) * p + r2h * w + c * lanes + dw);
                            var m = masks[(dw + pw) * chunks + c];
                            accK += Vector512.LoadUnsafe(ref inK, off) & m;
                            if (ntk) accT += Vector512.LoadUnsafe(ref inT, off) & m;
                        }
                    }
                    nuint dst = (nuint)(g + q1 * p + h2 * w + c * lanes);
                    if ((c + 1) * lanes <= w)
                    {
                        accK.StoreUnsafe(ref outK, dst);
                        if (ntk) accT.StoreUnsafe(ref outT, dst);
                    }
                    else
                    {
                        // The last chunk spills into the next row (or the guard): keep what is there.
                        Vector512.ConditionalSelect(inImage[c], accK, Vector512.LoadUnsafe(ref outK, dst)).StoreUnsafe(ref outK, dst);
                        if (ntk) Vector512.ConditionalSelect(inImage[c], accT, Vector512.LoadUnsafe(ref outT, dst)).StoreUnsafe(ref outT, dst);
                    }
                }
            }
        }
    }
}
