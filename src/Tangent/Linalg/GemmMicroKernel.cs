using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Tangent.Linalg;

/// <summary>
/// The innermost piece of the managed GEMM: an MR x NR block of C from packed panels of A and B, kept entirely in
/// registers (12 accumulators, MR = 4 rows by NV = 3 vectors) so each loaded element of B feeds four FMAs and each
/// broadcast element of A feeds three. With 16 (AVX2) or 32 (AVX-512, NEON) vector registers nothing spills.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    /// <summary>Rows of C per micro-tile.</summary>
    public const int MR = 4;
    /// <summary>Vectors of C per micro-tile row; NR = NV * vector width columns.</summary>
    public const int NV = 3;

    /// <summary>
    /// C[r, j] = alpha * sum_p A[r, p] B[p, j] + beta * C[r, j] for r &lt; MR, j &lt; NR, where the packed panels hold
    /// <c>ap[p * MR + r] = A[r, p]</c> and <c>bp[p * NR + j] = B[p, j]</c>. When beta is zero C is not read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TVec, TOps>(int kc, T* ap, T* bp, T* c, nint ldc, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : ISimdOps<T, TVec>
    {
        nint w = TOps.Count;
        PrefetchTile(c, ldc, NV * TOps.Count * sizeof(T));
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c02 = TOps.Zero;
        TVec c10 = TOps.Zero, c11 = TOps.Zero, c12 = TOps.Zero;
        TVec c20 = TOps.Zero, c21 = TOps.Zero, c22 = TOps.Zero;
        TVec c30 = TOps.Zero, c31 = TOps.Zero, c32 = TOps.Zero;
        for (int p = 0; p < kc; p++)
        {
            TVec b0 = TOps.Load(bp), b1 = TOps.Load(bp + w), b2 = TOps.Load(bp + 2 * w);
            TVec a = TOps.Broadcast(ap[0]);
            c00 = TOps.MulAdd(a, b0, c00); c01 = TOps.MulAdd(a, b1, c01); c02 = TOps.MulAdd(a, b2, c02);
            a = TOps.Broadcast(ap[1]);
            c10 = TOps.MulAdd(a, b0, c10); c11 = TOps.MulAdd(a, b1, c11); c12 = TOps.MulAdd(a, b2, c12);
            a = TOps.Broadcast(ap[2]);
            c20 = TOps.MulAdd(a, b0, c20); c21 = TOps.MulAdd(a, b1, c21); c22 = TOps.MulAdd(a, b2, c22);
            a = TOps.Broadcast(ap[3]);
            c30 = TOps.MulAdd(a, b0, c30); c31 = TOps.MulAdd(a, b1, c31); c32 = TOps.MulAdd(a, b2, c32);
            ap += MR;
            bp += NV * w;
        }
        WriteRow<T, TVec, TOps>(c, w, c00, c01, c02, alpha, beta);
        WriteRow<T, TVec, TOps>(c + ldc, w, c10, c11, c12, alpha, beta);
        WriteRow<T, TVec, TOps>(c + 2 * ldc, w, c20, c21, c22, alpha, beta);
        WriteRow<T, TVec, TOps>(c + 3 * ldc, w, c30, c31, c32, alpha, beta);
    }

    /// <summary>
    /// Asks for the C tile's cache lines now so they arrive while the FMAs run: C rows are a whole row of C apart,
    /// a stride the hardware prefetchers do not follow, and waiting for them at write-back cost ~20% of the time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile<T>(T* c, nint ldc, int rowBytes) where T : unmanaged
    {
        if (!Sse.IsSupported) return;
        for (int r = 0; r < MR; r++)
        {
            byte* row = (byte*)(c + r * ldc);
            for (int offset = 0; offset < rowBytes; offset += 64) Sse.Prefetch0(row + offset);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteRow<T, TVec, TOps>(T* c, nint w, TVec x0, TVec x1, TVec x2, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : ISimdOps<T, TVec>
    {
        TVec va = TOps.Broadcast(alpha);
        if (T.IsZero(beta))
        {
            TOps.Store(c, TOps.Multiply(va, x0));
            TOps.Store(c + w, TOps.Multiply(va, x1));
            TOps.Store(c + 2 * w, TOps.Multiply(va, x2));
        }
        else if (beta == T.One)
        {
            TOps.Store(c, TOps.MulAdd(va, x0, TOps.Load(c)));
            TOps.Store(c + w, TOps.MulAdd(va, x1, TOps.Load(c + w)));
            TOps.Store(c + 2 * w, TOps.MulAdd(va, x2, TOps.Load(c + 2 * w)));
        }
        else
        {
            TVec vb = TOps.Broadcast(beta);
            TOps.Store(c, TOps.MulAdd(va, x0, TOps.Multiply(vb, TOps.Load(c))));
            TOps.Store(c + w, TOps.MulAdd(va, x1, TOps.Multiply(vb, TOps.Load(c + w))));
            TOps.Store(c + 2 * w, TOps.MulAdd(va, x2, TOps.Multiply(vb, TOps.Load(c + 2 * w))));
        }
    }
}
