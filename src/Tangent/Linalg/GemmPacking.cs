using System.Numerics;

namespace Tangent.Linalg;

/// <summary>
/// A read-only matrix operand seen through strides: element (r, c) is at <c>P[r * RowStride + c * ColStride]</c>.
/// Transposition is a swap of strides, so one GEMM driver serves A B, A B^T, A^T B and A A^T.
/// </summary>
internal readonly unsafe struct StridedOperand<T>(T* p, nint rowStride, nint colStride) where T : unmanaged
{
    public readonly T* P = p;
    public readonly nint RowStride = rowStride;
    public readonly nint ColStride = colStride;
}

/// <summary>
/// Copies blocks of the operands into the contiguous, zero-padded layout the micro-kernel streams through
/// (the Goto/BLIS scheme). Packing costs O(block) against O(block * MC) arithmetic, and buys unit-stride,
/// cache-resident, always-full panels whatever the operand's layout.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs rows [i0, i1) x columns [p0, p0 + kc) of <paramref name="a"/> into MR-row micro-panels:
    /// panel q holds <c>dst[q * kc * MR + p * MR + r] = A[i0 + q * MR + r, p0 + p]</c>, zero past row i1.
    /// </summary>
    public static void PackA<T>(StridedOperand<T> a, int i0, int i1, int p0, int kc, T* dst, int mr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int ir = i0; ir < i1; ir += mr, dst += (nint)kc * mr)
        {
            int rows = Math.Min(mr, i1 - ir);
            if (a.ColStride == 1)
            {
                // Rows of A are contiguous: read each along p, scatter with stride mr.
                for (int r = 0; r < rows; r++)
                {
                    T* src = a.P + (ir + r) * a.RowStride + p0;
                    for (int p = 0; p < kc; p++) dst[(nint)p * mr + r] = src[p];
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    T* src = a.P + (p0 + p) * a.ColStride + ir * a.RowStride;
                    for (int r = 0; r < rows; r++) dst[(nint)p * mr + r] = src[r * a.RowStride];
                }
            }
            for (int r = rows; r < mr; r++)
                for (int p = 0; p < kc; p++) dst[(nint)p * mr + r] = T.Zero;
        }
    }

    /// <summary>
    /// Packs rows [p0, p0 + kc) x columns [j0, j1) of <paramref name="b"/> into NR-column micro-panels:
    /// panel q holds <c>dst[q * kc * NR + p * NR + j] = B[p0 + p, j0 + q * NR + j]</c>, zero past column j1.
    /// </summary>
    public static void PackB<T>(StridedOperand<T> b, int p0, int kc, int j0, int j1, T* dst, int nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int jr = j0; jr < j1; jr += nr, dst += (nint)kc * nr)
        {
            int cols = Math.Min(nr, j1 - jr);
            if (b.ColStride == 1)
            {
                for (int p = 0; p < kc; p++)
                {
                    var row = new Span<T>(dst + (nint)p * nr, nr);
                    new ReadOnlySpan<T>(b.P + (p0 + p) * b.RowStride + jr, cols).CopyTo(row);
                    row[cols..].Clear();
                }
            }
            else
            {
                // Columns of B are contiguous along p (the A B^T case): read each, scatter with stride nr.
                for (int j = 0; j < cols; j++)
                {
                    T* src = b.P + (jr + j) * b.ColStride + p0 * b.RowStride;
                    for (int p = 0; p < kc; p++) dst[(nint)p * nr + j] = src[p * b.RowStride];
                }
                for (int j = cols; j < nr; j++)
                    for (int p = 0; p < kc; p++) dst[(nint)p * nr + j] = T.Zero;
            }
        }
    }
}
