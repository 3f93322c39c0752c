using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tangent.Numerics;

/// <summary>
/// Out-of-place transposes of rectangular blocks inside row-major matrices, used to mirror the computed triangle of a
/// symmetric kernel. Float64 blocks move as 8x8 register tiles (three rounds of AVX-512 unpack and 128-bit-lane
/// shuffles), float32 blocks as 16x16 tiles (four rounds), twice as fast as strided scalar copies or more; everything
/// else falls back to 8x8 scalar blocking.
/// </summary>
public static class BlockTranspose
{
    /// <summary>Writes the transpose of the rows x cols block at <paramref name="from"/> to <paramref name="to"/> (same stride).</summary>
    public static void Transpose<T>(T[] m, int from, int to, int stride, int rows, int cols) where T : unmanaged =>
        Transpose(m, from, stride, m, to, stride, rows, cols);

    /// <summary>
    /// Writes the transpose of the rows x cols block of <paramref name="source"/> at <paramref name="from"/> (row stride
    /// <paramref name="sourceStride"/>) to <paramref name="target"/> at <paramref name="to"/> (row stride
    /// <paramref name="targetStride"/>): target[to + j·targetStride + i] = source[from + i·sourceStride + j].
    /// The two blocks must not overlap.
    /// </summary>
    public static void Transpose<T>(T[] source, int from, int sourceStride, T[] target, int to, int targetStride, int rows, int cols)
        where T : unmanaged
    {
        int i0 = 0;
        int block = RegisterBlock<T>();
        if (block > 0)
        {
            for (; i0 + block <= rows; i0 += block)
            {
                int j0 = 0;
                for (; j0 + block <= cols; j0 += block)
                    TransposeBlock(source, from + i0 * sourceStride + j0, sourceStride, target, to + j0 * targetStride + i0, targetStride);
                Scalar(source, from, sourceStride, target, to, targetStride, i0, i0 + block, j0, cols);
            }
        }
        for (; i0 < rows; i0 += 8)
            for (int j0 = 0; j0 < cols; j0 += 8)
                Scalar(source, from, sourceStride, target, to, targetStride, i0, Math.Min(i0 + 8, rows), j0, Math.Min(j0 + 8, cols));
    }

    /// <summary>Side of the square blocks transposed in registers for this element type (0: none, scalar copies only).</summary>
    private static int RegisterBlock<T>() =>
        !Avx512F.IsSupported ? 0 : typeof(T) == typeof(double) ? 8 : typeof(T) == typeof(float) ? 16 : 0;

    /// <summary>One <see cref="RegisterBlock{T}"/>-sided block, in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeBlock<T>(T[] source, int from, int sourceStride, T[] target, int to, int targetStride)
    {
        ref T src = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(source), from);
        ref T dst = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(target), to);
        if (typeof(T) == typeof(double))
            Transpose8x8(ref Unsafe.As<T, double>(ref src), sourceStride, ref Unsafe.As<T, double>(ref dst), targetStride);
        else
            Transpose16x16(ref Unsafe.As<T, float>(ref src), sourceStride, ref Unsafe.As<T, float>(ref dst), targetStride);
    }

    private static void Scalar<T>(T[] source, int from, int sourceStride, T[] target, int to, int targetStride,
        int iStart, int iEnd, int jStart, int jEnd)
    {
        for (int j = jStart; j < jEnd; j++)
            for (int i = iStart; i < iEnd; i++)
                target[to + j * targetStride + i] = source[from + i * sourceStride + j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref double src, int sourceStride, ref double dst, int targetStride)
    {
        nuint s = (nuint)sourceStride;
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
        s = (nuint)targetStride;
        Avx512F.Shuffle4x128(u0, u4, 0x88).StoreUnsafe(ref dst, 0 * s);
        Avx512F.Shuffle4x128(u2, u6, 0x88).StoreUnsafe(ref dst, 1 * s);
        Avx512F.Shuffle4x128(u1, u5, 0x88).StoreUnsafe(ref dst, 2 * s);
        Avx512F.Shuffle4x128(u3, u7, 0x88).StoreUnsafe(ref dst, 3 * s);
        Avx512F.Shuffle4x128(u0, u4, 0xDD).StoreUnsafe(ref dst, 4 * s);
        Avx512F.Shuffle4x128(u2, u6, 0xDD).StoreUnsafe(ref dst, 5 * s);
        Avx512F.Shuffle4x128(u1, u5, 0xDD).StoreUnsafe(ref dst, 6 * s);
        Avx512F.Shuffle4x128(u3, u7, 0xDD).StoreUnsafe(ref dst, 7 * s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose16x16(ref float src, int sourceStride, ref float dst, int targetStride)
    {
        nuint s = (nuint)sourceStride;
        // Rows 2i and 2i+1 interleaved in 32-bit pairs within each 128-bit lane, then pairs of those in 64-bit pairs:
        // lane l of u[4q + k] holds column 4l + k of rows 4q..4q+3.
        var (u0, u1, u2, u3) = Quad(ref src, s);
        var (u4, u5, u6, u7) = Quad(ref Unsafe.Add(ref src, 4 * s), s);
        var (u8, u9, u10, u11) = Quad(ref Unsafe.Add(ref src, 8 * s), s);
        var (u12, u13, u14, u15) = Quad(ref Unsafe.Add(ref src, 12 * s), s);
        // Two rounds of 128-bit lane shuffles gather lane l of the four row groups into output row 4l + k.
        s = (nuint)targetStride;
        Gather(u0, u4, u8, u12, ref dst, s);
        Gather(u1, u5, u9, u13, ref Unsafe.Add(ref dst, s), s);
        Gather(u2, u6, u10, u14, ref Unsafe.Add(ref dst, 2 * s), s);
        Gather(u3, u7, u11, u15, ref Unsafe.Add(ref dst, 3 * s), s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) Quad(ref float src, nuint s)
    {
        var r0 = Vector512.LoadUnsafe(ref src); var r1 = Vector512.LoadUnsafe(ref src, s);
        var r2 = Vector512.LoadUnsafe(ref src, 2 * s); var r3 = Vector512.LoadUnsafe(ref src, 3 * s);
        var t0 = Avx512F.UnpackLow(r0, r1).AsDouble(); var t1 = Avx512F.UnpackHigh(r0, r1).AsDouble();
        var t2 = Avx512F.UnpackLow(r2, r3).AsDouble(); var t3 = Avx512F.UnpackHigh(r2, r3).AsDouble();
        return (Avx512F.UnpackLow(t0, t2).AsSingle(), Avx512F.UnpackHigh(t0, t2).AsSingle(),
                Avx512F.UnpackLow(t1, t3).AsSingle(), Avx512F.UnpackHigh(t1, t3).AsSingle());
    }

    /// <summary>Rows k, 4 + k, 8 + k, 12 + k of the transpose from column group k of the four row groups.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gather(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d, ref float dst, nuint s)
    {
        var x0 = Avx512F.Shuffle4x128(a, b, 0x88); var x1 = Avx512F.Shuffle4x128(a, b, 0xDD);
        var y0 = Avx512F.Shuffle4x128(c, d, 0x88); var y1 = Avx512F.Shuffle4x128(c, d, 0xDD);
        Avx512F.Shuffle4x128(x0, y0, 0x88).StoreUnsafe(ref dst);
        Avx512F.Shuffle4x128(x1, y1, 0x88).StoreUnsafe(ref dst, 4 * s);
        Avx512F.Shuffle4x128(x0, y0, 0xDD).StoreUnsafe(ref dst, 8 * s);
        Avx512F.Shuffle4x128(x1, y1, 0xDD).StoreUnsafe(ref dst, 12 * s);
    }
}
