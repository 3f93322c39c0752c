using System.Globalization;
using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Dynamics;

/// <summary>
/// The Cholesky factor K = L Lᵀ of a symmetric positive definite kernel, computed once and reused for every solve:
/// the t = ∞ limits (kernel regression, GP posterior) need K⁻¹ B and nothing of the spectrum, and a Cholesky
/// factorisation costs a sixth of an eigendecomposition.
/// </summary>
public sealed class KernelFactor
{
    private readonly double[] _l;

    private KernelFactor(int n, double[] l) { Size = n; _l = l; }

    /// <summary>Matrix size N.</summary>
    public int Size { get; }

    /// <summary>log det K = 2 Σ log L_ii.</summary>
    public double LogDeterminant
    {
        get
        {
            double sum = 0;
            for (int i = 0; i < Size; i++) sum += Math.Log(_l[i * Size + i]);
            return 2 * sum;
        }
    }

    /// <summary>
    /// Factorises the symmetric <paramref name="kernel"/> (not modified); <paramref name="what"/> names it in messages.
    /// </summary>
    /// <exception cref="KernelRequestException">The kernel is not square, symmetric and finite, or is not positive
    /// definite to working precision (indefinite, singular, or so close to singular that K⁻¹ would be noise).</exception>
    public static KernelFactor Compute(Matrix<double> kernel, string what = "the training kernel")
    {
        KernelValidation.TrainKernel(kernel, what);
        int n = kernel.Rows;
        var l = (double[])kernel.Data.Clone();
        double maxDiagonal = 0;
        for (int i = 0; i < n; i++) maxDiagonal = Math.Max(maxDiagonal, kernel.Data[i * n + i]);
        if (!LinearAlgebra.Current.TryCholesky(n, l))
            throw NotPositiveDefinite(what, "it is singular or indefinite");
        // A singular matrix often factorises anyway, with a pivot at rounding level, and K⁻¹ then multiplies rounding
        // errors by 1/pivot². Below N·ε·max K_ii the last pivots carry no information about K: refuse rather than return noise.
        double smallestPivot = double.PositiveInfinity;
        for (int i = 0; i < n; i++) smallestPivot = Math.Min(smallestPivot, l[i * n + i]);
        if (smallestPivot * smallestPivot <= n * Math.Pow(2, -52) * maxDiagonal)
            throw NotPositiveDefinite(what, string.Create(CultureInfo.InvariantCulture,
                $"it is singular to working precision (smallest Cholesky pivot² {smallestPivot * smallestPivot:G2} against a largest diagonal entry of {maxDiagonal:G3})"));
        return new KernelFactor(n, l);
    }

    private static KernelRequestException NotPositiveDefinite(string what, string why) =>
        new($"{what} is not positive definite: {why}, so K⁻¹ (needed at t = infinity) does not exist; add diagonal regularisation, e.g. --diag-reg 1e-6 (relative to trace/N), or use finite times");

    /// <summary>K⁻¹ B for B of N rows, as a new matrix.</summary>
    public Matrix<double> Solve(Matrix<double> b)
    {
        if (b.Rows != Size) throw new ArgumentException($"expected {Size} rows, got {b.Rows}", nameof(b));
        var x = b.Clone();
        LinearAlgebra.Current.CholeskySolve(Size, _l, b.Cols, x.Data);
        return x;
    }

    /// <summary>K⁻¹ Bᵀ for B of N columns (M x N), as a new N x M matrix: how test-train kernels are solved against.</summary>
    public Matrix<double> SolveTransposed(Matrix<double> b)
    {
        if (b.Cols != Size) throw new ArgumentException($"expected {Size} columns, got {b.Cols}", nameof(b));
        var x = b.Transpose();
        LinearAlgebra.Current.CholeskySolve(Size, _l, b.Rows, x.Data);
        return x;
    }
}
