using System.Numerics;
using System.Numerics.Tensors;
using Tangent.Linalg;
using Tangent.Networks;

namespace Tangent.Empirical;

/// <summary>
/// The structured empirical NTK of one weight layer. With y_{p,c} = m_W·W_c·patch_p + m_b·b_c, the contribution to
/// Θ_{o,o'}(x, x') is
/// <code>
///   Σ_{p,p'} A[(x,p),(x',p')] · B_{o,o'}[(x,p),(x',p')],   A = m_W²·patch_p(x)·patch_p'(x') + m_b²,
///                                                           B_{o,o'} = dy_{o,p}(x)·dy_{o',p'}(x')
/// </code>
/// (Novak et al. 2022, "Fast finite width neural tangent kernel", structured derivatives): two Gram matrices by BLAS
/// and an elementwise product summed over position pairs, never a per-example Jacobian. Traced, B is averaged over o
/// first, which is one Gram of the cotangents laid out [(x,p), (o,c)]. Work proceeds in blocks of example pairs so the
/// Gram buffers stay bounded.
/// </summary>
internal sealed class StructuredNtk<T> : IPairContraction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int BudgetSide = 4096;   // Gram blocks at most 4096 x 4096
    private T[]? _a, _b, _perm1, _perm2;

    public long ScratchElements => (long)(_a?.Length ?? 0) + (_b?.Length ?? 0) + (_perm1?.Length ?? 0) + (_perm2?.Length ?? 0);

    public void Accumulate(WeightLayer<T> layer, ReadOnlySpan<T> patches1, ReadOnlySpan<T> cotangents1, int n1,
        ReadOnlySpan<T> patches2, ReadOnlySpan<T> cotangents2, int n2, bool symmetric, int outputs, bool full, Span<T> kernel)
    {
        int p = layer.Positions, k = layer.FanIn, c = layer.FanOut, o = outputs;
        T mw = layer.WeightMultiplier, mb = layer.BiasMultiplier;
        T mw2 = mw * mw, mb2 = mb * mb;
        // Rows per example and columns of the cotangent factor: full (x,o,p) x c; traced (x,p) x (o,c).
        int rowsB = full ? o * p : p, widthB = full ? c : o * c;
        ReadOnlySpan<T> d1 = cotangents1, d2 = cotangents2;
        if (!full && p > 1)
        {
            d1 = PositionMajor(cotangents1, n1, o, p, c, ref _perm1);
            d2 = symmetric ? d1 : PositionMajor(cotangents2, n2, o, p, c, ref _perm2);
        }
        int block = Math.Max(1, BudgetSide / rowsB);
        var la = LinearAlgebra.Current;
        T alphaB = full ? T.One : T.One / T.CreateTruncating(o);
        for (int i0 = 0; i0 < n1; i0 += block)
        {
            int bi = Math.Min(block, n1 - i0);
            for (int j0 = symmetric ? i0 : 0; j0 < n2; j0 += block)
            {
                int bj = Math.Min(block, n2 - j0);
                bool diagonal = symmetric && i0 == j0;
                int aRows = bi * p, aCols = bj * p;
                var a = Scratch(ref _a, (long)aRows * aCols);
                var pi = patches1.Slice(i0 * p * k, aRows * k);
                // On diagonal blocks SYRK fills the upper triangle; the lower is only needed where a P x P or O x O
                // block straddles the diagonal (images, full kernels).
                bool upperOnly = diagonal && p == 1 && !full;
                if (diagonal) { la.SyrkUpper(aRows, k, mw2, pi, a); if (!upperOnly) Mirror.UpperToLower(aRows, a); }
                else la.GemmNT(aRows, aCols, k, mw2, pi, patches2.Slice(j0 * p * k, aCols * k), T.Zero, a);
                if (!T.IsZero(mb2)) TensorPrimitives.Add<T>(a, mb2, a);

                int bRows = bi * rowsB, bCols = bj * rowsB;
                var b = Scratch(ref _b, (long)bRows * bCols);
                var di = d1.Slice(i0 * rowsB * widthB, bRows * widthB);
                if (diagonal) { la.SyrkUpper(bRows, widthB, alphaB, di, b); if (!upperOnly) Mirror.UpperToLower(bRows, b); }
                else la.GemmNT(bRows, bCols, widthB, alphaB, di, d2.Slice(j0 * rowsB * widthB, bCols * widthB), T.Zero, b);

                if (full) ReduceFull(a, b, bi, bj, p, o, i0, j0, n2, kernel);
                else ReduceTraced(a, b, bi, bj, p, i0, j0, n2, upperOnly, kernel);
            }
        }
    }

    /// <summary>kernel[i, j] += Σ_{p,p'} A ∘ B over the P x P block of the pair (i, j).</summary>
    private static void ReduceTraced(Span<T> a, ReadOnlySpan<T> b, int bi, int bj, int p, int i0, int j0, int n2, bool upperOnly, Span<T> kernel)
    {
        int cols = bj * p;
        if (p == 1)
        {
            for (int i = 0; i < bi; i++)
            {
                int from = upperOnly ? i : 0;
                var target = kernel.Slice((i0 + i) * n2 + j0 + from, bj - from);
                TensorPrimitives.MultiplyAdd<T>(a.Slice(i * cols + from, bj - from), b.Slice(i * cols + from, bj - from), target, target);
            }
            return;
        }
        TensorPrimitives.Multiply<T>(a[..(bi * p * cols)], b[..(bi * p * cols)], a[..(bi * p * cols)]);
        for (int i = 0; i < bi; i++)
            for (int q = 0; q < p; q++)
            {
                var row = a.Slice((i * p + q) * cols, cols);
                var target = kernel.Slice((i0 + i) * n2 + j0, bj);
                for (int j = 0; j < bj; j++) target[j] += TensorPrimitives.Sum<T>(row.Slice(j * p, p));
            }
    }

    /// <summary>kernel[(i,o), (j,o')] += Σ_{p,p'} A[(i,p),(j,p')] · B[(i,o,p),(j,o',p')].</summary>
    private static void ReduceFull(ReadOnlySpan<T> a, ReadOnlySpan<T> b, int bi, int bj, int p, int o, int i0, int j0, int n2, Span<T> kernel)
    {
        int aCols = bj * p, bCols = bj * o * p, kCols = n2 * o;
        for (int i = 0; i < bi; i++)
            for (int u = 0; u < o; u++)
            {
                var target = kernel.Slice(((i0 + i) * o + u) * kCols + j0 * o, bj * o);
                for (int q = 0; q < p; q++)
                {
                    var aRow = a.Slice((i * p + q) * aCols, aCols);
                    var bRow = b.Slice(((i * o + u) * p + q) * bCols, bCols);
                    if (p == 1)
                    {
                        for (int j = 0; j < bj; j++)
                            TensorPrimitives.MultiplyAdd<T>(bRow.Slice(j * o, o), aRow[j], target.Slice(j * o, o), target.Slice(j * o, o));
                        continue;
                    }
                    for (int j = 0; j < bj; j++)
                    {
                        var aSeg = aRow.Slice(j * p, p);
                        for (int v = 0; v < o; v++) target[j * o + v] += TensorPrimitives.Dot<T>(aSeg, bRow.Slice((j * o + v) * p, p));
                    }
                }
            }
    }

    /// <summary>Cotangents [(x,o,p), c] relaid as [(x,p), (o,c)], so one Gram sums over outputs and channels together.</summary>
    private static ReadOnlySpan<T> PositionMajor(ReadOnlySpan<T> d, int n, int o, int p, int c, ref T[]? buffer)
    {
        var target = Scratch(ref buffer, (long)n * o * p * c);
        for (int i = 0; i < n; i++)
            for (int u = 0; u < o; u++)
                for (int q = 0; q < p; q++)
                    d.Slice(((i * o + u) * p + q) * c, c).CopyTo(target.Slice(((i * p + q) * o + u) * c, c));
        return target;
    }

    private static Span<T> Scratch(ref T[]? buffer, long length)
    {
        if (buffer is null || buffer.Length < length) buffer = new T[checked((int)length)];
        return buffer.AsSpan(0, (int)length);
    }
}
