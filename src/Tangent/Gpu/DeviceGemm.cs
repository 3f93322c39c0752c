using System.Numerics;
using ILGPU;

namespace Tangent.Gpu;

/// <summary>The arguments of <see cref="DeviceGemm.GemmNT{T}"/>.</summary>
internal struct GemmArgs<T> where T : unmanaged
{
    public ArrayView<T> A, B, C;
    public int M, N, K, Lda, Ldb, Ldc;
    public T Alpha;
}

/// <summary>
/// The fallback GEMM written as an ILGPU kernel, for devices without cuBLAS and for ILGPU's CPU accelerator in tests.
/// Each thread computes a 4 x 4 block of C from rows of A and B read along k (16 multiply-adds per 8 loads). Every entry
/// sums its products in the same order, so A·Aᵀ comes out exactly symmetric.
/// </summary>
internal static class DeviceGemm
{
    /// <summary>Side of the block of C one thread computes.</summary>
    public const int Block = 4;

    /// <summary>Row-major C (M x N) = Alpha · A (M x K) · Bᵀ (B is N x K); thread e computes block (e / ⌈N/4⌉, e % ⌈N/4⌉).</summary>
    public static void GemmNT<T>(Index1D e, GemmArgs<T> g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int colBlocks = (g.N + Block - 1) / Block;
        int i0 = e / colBlocks * Block, j0 = e % colBlocks * Block;
        // Out-of-range rows and columns read row 0 of their matrix (always valid) and are not stored.
        int a0 = i0 < g.M ? i0 : 0, a1 = i0 + 1 < g.M ? i0 + 1 : 0, a2 = i0 + 2 < g.M ? i0 + 2 : 0, a3 = i0 + 3 < g.M ? i0 + 3 : 0;
        int b0 = j0 < g.N ? j0 : 0, b1 = j0 + 1 < g.N ? j0 + 1 : 0, b2 = j0 + 2 < g.N ? j0 + 2 : 0, b3 = j0 + 3 < g.N ? j0 + 3 : 0;
        T c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero;
        T c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
        T c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero;
        T c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;
        for (int k = 0; k < g.K; k++)
        {
            T x0 = g.A[a0 * g.Lda + k], x1 = g.A[a1 * g.Lda + k], x2 = g.A[a2 * g.Lda + k], x3 = g.A[a3 * g.Lda + k];
            T y0 = g.B[b0 * g.Ldb + k], y1 = g.B[b1 * g.Ldb + k], y2 = g.B[b2 * g.Ldb + k], y3 = g.B[b3 * g.Ldb + k];
            c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
            c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
            c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
            c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        StoreRow(g, i0, j0, c00, c01, c02, c03);
        StoreRow(g, i0 + 1, j0, c10, c11, c12, c13);
        StoreRow(g, i0 + 2, j0, c20, c21, c22, c23);
        StoreRow(g, i0 + 3, j0, c30, c31, c32, c33);
    }

    private static void StoreRow<T>(GemmArgs<T> g, int i, int j0, T v0, T v1, T v2, T v3) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (i >= g.M) return;
        int row = i * g.Ldc;
        if (j0 < g.N) g.C[row + j0] = g.Alpha * v0;
        if (j0 + 1 < g.N) g.C[row + j0 + 1] = g.Alpha * v1;
        if (j0 + 2 < g.N) g.C[row + j0 + 2] = g.Alpha * v2;
        if (j0 + 3 < g.N) g.C[row + j0 + 3] = g.Alpha * v3;
    }

    /// <summary>Threads needed for an M x N product.</summary>
    public static int Threads(int m, int n) => checked(((m + Block - 1) / Block) * ((n + Block - 1) / Block));
}
