using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Tangent.Layers;

namespace Tangent.Kernels;

/// <summary>
/// The tap sums of a stride-1, SAME-padded, odd-sized convolution on a grid state, vectorised along the second image's
/// rows (one Vector512 per image row chunk: a whole row for 8-wide float64 or 16-wide float32 images). The filter is
/// separable in the diagonal sense (a tap shifts both positions along H and along W independently), so the sums run
/// along W first (lane shifts, taps reading padding masked to zero), then along H (whole rows): fh + fw loads per entry
/// instead of fh·fw.
/// </summary>
internal static class ConvolutionFastPath
{
    /// <summary>Switch for tests that compare the fast path with the general one.</summary>
    internal static readonly ScopedSwitch Switch = new();

    public static bool Applies(Window w) =>
        Switch.Enabled && Vector512.IsHardwareAccelerated && !w.Circular && w.H.Stride == 1 && w.W.Stride == 1 &&
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
        // Separable: first the taps along W (lane shifts, masked) into a scratch buffer, then along H (whole rows).
        var scratch = Scratch<T>.Get(p * p + 2 * g);
        ref T inK = ref MemoryMarshal.GetArrayDataReference(s.Nngp);
        ref T inT = ref MemoryMarshal.GetArrayDataReference(s.Ntk);
        ref T midK = ref MemoryMarshal.GetArrayDataReference(scratch.K);
        ref T midT = ref MemoryMarshal.GetArrayDataReference(scratch.Ntk);
        ref T outK = ref MemoryMarshal.GetArrayDataReference(s.NngpSpare);
        ref T outT = ref MemoryMarshal.GetArrayDataReference(s.NtkSpare);
        for (int h1 = 0; h1 < h; h1++)
        for (int w1 = 0; w1 < w; w1++)
        {
            int q1 = h1 * w + w1;
            for (int h2 = 0; h2 < h; h2++)
            for (int c = 0; c < chunks; c++)
            {
                var accK = Vector512<T>.Zero;
                var accT = Vector512<T>.Zero;
                for (int dw = -pw; dw <= pw; dw++)
                {
                    int r1w = w1 + dw;
                    if ((uint)r1w >= (uint)w) continue;
                    nuint off = (nuint)(g + (h1 * w + r1w) * p + h2 * w + c * lanes + dw);
                    var m = masks[(dw + pw) * chunks + c];
                    accK += Vector512.LoadUnsafe(ref inK, off) & m;
                    if (ntk) accT += Vector512.LoadUnsafe(ref inT, off) & m;
                }
                Store(accK, ref midK, (nuint)(g + q1 * p + h2 * w + c * lanes), inImage[c], (c + 1) * lanes <= w);
                if (ntk) Store(accT, ref midT, (nuint)(g + q1 * p + h2 * w + c * lanes), inImage[c], (c + 1) * lanes <= w);
            }
        }
        for (int h1 = 0; h1 < h; h1++)
        for (int w1 = 0; w1 < w; w1++)
        {
            int q1 = h1 * w + w1;
            for (int h2 = 0; h2 < h; h2++)
            for (int c = 0; c < chunks; c++)
            {
                var accK = Vector512<T>.Zero;
                var accT = Vector512<T>.Zero;
                for (int dh = -ph; dh <= ph; dh++)
                {
                    int r1h = h1 + dh, r2h = h2 + dh;
                    if ((uint)r1h >= (uint)h || (uint)r2h >= (uint)h) continue;
                    nuint off = (nuint)(g + (r1h * w + w1) * p + r2h * w + c * lanes);
                    accK += Vector512.LoadUnsafe(ref midK, off);
                    if (ntk) accT += Vector512.LoadUnsafe(ref midT, off);
                }
                Store(accK, ref outK, (nuint)(g + q1 * p + h2 * w + c * lanes), inImage[c], (c + 1) * lanes <= w);
                if (ntk) Store(accT, ref outT, (nuint)(g + q1 * p + h2 * w + c * lanes), inImage[c], (c + 1) * lanes <= w);
            }
        }
    }

    /// <summary>Stores a row chunk; a last partial chunk spills into the next row (or the guard), so keep what is there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector512<T> value, ref T target, nuint offset, Vector512<T> inImage, bool whole) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (whole) value.StoreUnsafe(ref target, offset);
        else Vector512.ConditionalSelect(inImage, value, Vector512.LoadUnsafe(ref target, offset)).StoreUnsafe(ref target, offset);
    }

    private sealed class Scratch<T> where T : unmanaged
    {
        [ThreadStatic] private static Scratch<T>? _current;
        public T[] K = [], Ntk = [];

        public static Scratch<T> Get(int length)
        {
            var s = _current ??= new Scratch<T>();
            if (s.K.Length < length) { s.K = new T[length]; s.Ntk = new T[length]; }
            return s;
        }
    }
}
