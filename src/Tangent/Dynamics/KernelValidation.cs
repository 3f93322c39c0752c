using Tangent.Kernels;
using Tangent.Linalg;
using System.Numerics.Tensors;

namespace Tangent.Dynamics;

/// <summary>
/// Checks on the matrices handed to the dynamics, failing with a <see cref="KernelRequestException"/> whose one-line
/// message names the matrix and the problem — never a NaN further down.
/// </summary>
internal static class KernelValidation
{
    /// <summary>
    /// Largest relative asymmetry accepted, max |K - Kᵀ| / max |K|: far above the rounding of any kernel computation
    /// (analytic kernels are mirrored exactly; empirical ones differ by a few ulp), far below a real mistake.
    /// </summary>
    public const double SymmetryTolerance = 1e-8;

    /// <summary>A square, symmetric, finite kernel.</summary>
    public static void TrainKernel(Matrix<double> k, string what)
    {
        ArgumentNullException.ThrowIfNull(k);
        if (k.Rows != k.Cols) throw new KernelRequestException($"{what} must be square, got {k.Rows}x{k.Cols}");
        if (k.Rows == 0) throw new KernelRequestException($"{what} is empty: there are no training points");
        Finite(k, what);
        // MaxMagnitude returns the entry of largest magnitude with its sign.
        double scale = Math.Abs(TensorPrimitives.MaxMagnitude<double>(k.Data)), worst = 0;
        int n = k.Rows, wi = 0, wj = 0;
        // In 64 x 64 tiles, so the transposed reads stay in cache (a plain column walk misses on every read at N = 4000).
        const int Tile = 64;
        for (int i0 = 0; i0 < n; i0 += Tile)
            for (int j0 = i0; j0 < n; j0 += Tile)
                for (int i = i0; i < Math.Min(i0 + Tile, n); i++)
                    for (int j = Math.Max(j0, i + 1); j < Math.Min(j0 + Tile, n); j++)
                    {
                        double d = Math.Abs(k.Data[i * n + j] - k.Data[j * n + i]);
                        if (d > worst) { worst = d; wi = i; wj = j; }
                    }
        if (worst > SymmetryTolerance * scale)
            throw new KernelRequestException($"{what} is not symmetric: entries ({wi}, {wj}) and ({wj}, {wi}) differ by {worst:G3} (largest entry {scale:G3}); a kernel of a set with itself must be symmetric");
    }

    /// <summary>Every entry finite.</summary>
    public static void Finite(Matrix<double> m, string what)
    {
        if (TensorPrimitives.IsFiniteAll<double>(m.Data)) return;
        for (int i = 0; i < m.Data.Length; i++)
            if (!double.IsFinite(m.Data[i]))
                throw new KernelRequestException($"{what}: entry ({i / Math.Max(m.Cols, 1)}, {i % Math.Max(m.Cols, 1)}) is {(double.IsNaN(m.Data[i]) ? "NaN" : "infinite")}");
    }

    /// <summary><paramref name="m"/> is rows x cols and finite.</summary>
    public static void Shape(Matrix<double> m, int rows, int cols, string what, string because)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.Rows != rows || m.Cols != cols)
            throw new KernelRequestException($"{what} is {m.Rows}x{m.Cols} but must be {rows}x{cols} ({because})");
        Finite(m, what);
    }

    /// <summary><paramref name="m"/> has <paramref name="cols"/> columns and is finite; returns its row count.</summary>
    public static int Columns(Matrix<double> m, int cols, string what, string because)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.Cols != cols) throw new KernelRequestException($"{what} has {m.Cols} columns but must have {cols} ({because})");
        Finite(m, what);
        return m.Rows;
    }
}
