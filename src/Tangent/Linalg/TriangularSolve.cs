using System.Numerics.Tensors;

namespace Tangent.Linalg;

/// <summary>
/// Forward and back substitution with a row-major lower-triangular L, in place on a row-major right-hand side.
/// Both sweeps touch L only by rows (contiguous), so no transposed copy of L is ever made.
/// </summary>
internal static class TriangularSolve
{
    /// <summary>B := (L L^T)^{-1} B, with L n x n (only its lower triangle read) and B n x nrhs.</summary>
    public static void LowerThenLowerTransposed(int n, ReadOnlySpan<double> l, int nrhs, Span<double> b)
    {
        if (nrhs == 1) { SingleRightHandSide(n, l, b); return; }

        // L Y = B, row by row: Y[i,:] = (B[i,:] - sum_{p<i} L[i,p] Y[p,:]) / L[i,i].
        for (int i = 0; i < n; i++)
        {
            var yi = b.Slice(i * nrhs, nrhs);
            for (int p = 0; p < i; p++)
            {
                TensorPrimitives.MultiplyAdd(b.Slice(p * nrhs, nrhs), -l[i * n + p], yi, yi);
            }
            TensorPrimitives.Divide(yi, l[i * n + i], yi);
        }
        // L^T X = Y, bottom up, column-oriented: once X[i,:] is final, remove its share L[i,p] X[i,:] from rows p < i.
        for (int i = n - 1; i >= 0; i--)
        {
            var xi = b.Slice(i * nrhs, nrhs);
            TensorPrimitives.Divide(xi, l[i * n + i], xi);
            for (int p = 0; p < i; p++)
            {
                var xp = b.Slice(p * nrhs, nrhs);
                TensorPrimitives.MultiplyAdd(xi, -l[i * n + p], xp, xp);
            }
        }
    }

    /// <summary>The same with one column: a dot product per row forward, an axpy per row backward.</summary>
    private static void SingleRightHandSide(int n, ReadOnlySpan<double> l, Span<double> b)
    {
        for (int i = 0; i < n; i++)
            b[i] = (b[i] - TensorPrimitives.Dot(l.Slice(i * n, i), b[..i])) / l[i * n + i];
        for (int i = n - 1; i >= 0; i--)
        {
            b[i] /= l[i * n + i];
            var head = b[..i];
            TensorPrimitives.MultiplyAdd(l.Slice(i * n, i), -b[i], head, head);
        }
    }
}
