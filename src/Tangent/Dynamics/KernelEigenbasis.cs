using System.Globalization;
using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Dynamics;

/// <summary>
/// The eigendecomposition K = V diag(λ) Vᵀ of a symmetric positive semi-definite training kernel, computed once
/// (LAPACK <c>dsyevd</c> through <see cref="LinearAlgebra.Current"/>) and reused for every time, output and test set.
/// In this basis gradient flow on MSE decouples: the residual along eigenvector k decays like exp(−η λ_k t / (N·O)).
/// </summary>
public sealed class KernelEigenbasis
{
    private readonly double[] _values;

    private KernelEigenbasis(double[] values, Matrix<double> vectors)
    {
        _values = values;
        Vectors = vectors;
    }

    /// <summary>Matrix size N.</summary>
    public int Size => _values.Length;

    /// <summary>Eigenvalues in ascending order (LAPACK's order).</summary>
    public ReadOnlySpan<double> Eigenvalues => _values;

    /// <summary>
    /// Orthonormal eigenvectors as the COLUMNS of an N x N row-major matrix: entry (i, k) is component i of the
    /// eigenvector of <c>Eigenvalues[k]</c>. Shared, not copied: do not modify.
    /// </summary>
    public Matrix<double> Vectors { get; }

    /// <summary>The largest eigenvalue.</summary>
    public double Largest => _values[^1];

    /// <summary>The smallest eigenvalue.</summary>
    public double Smallest => _values[0];

    /// <summary>
    /// Diagonalises the symmetric <paramref name="kernel"/> (not modified) and checks it is positive semi-definite up to
    /// rounding; <paramref name="what"/> names it in messages ("the training kernel").
    /// </summary>
    /// <exception cref="KernelRequestException">The kernel is not square, symmetric and finite, or has an eigenvalue
    /// clearly below zero; the message says how much diagonal regularisation would lift it.</exception>
    public static KernelEigenbasis Compute(Matrix<double> kernel, string what = "the training kernel")
    {
        KernelValidation.TrainKernel(kernel, what);
        int n = kernel.Rows;
        var vectors = kernel.Clone();
        var values = new double[n];
        LinearAlgebra.Current.SymmetricEigen(n, vectors.Data, values);
        var basis = new KernelEigenbasis(values, vectors);
        basis.EnsurePositiveSemiDefinite(kernel, what);
        return basis;
    }

    /// <summary>
    /// The most negative eigenvalue accepted as rounding: a backward-stable eigensolver perturbs eigenvalues by about
    /// N·ε·‖K‖₂ (Golub and Van Loan, §8.1), and a kernel assembled in floating point is itself off by that much.
    /// </summary>
    internal static double NegativeTolerance(int n, double largestMagnitude) => 64.0 * n * Math.Pow(2, -52) * largestMagnitude;

    private void EnsurePositiveSemiDefinite(Matrix<double> kernel, string what)
    {
        double largest = Math.Max(Math.Abs(Smallest), Math.Abs(Largest));
        if (Smallest >= -NegativeTolerance(Size, largest)) return;
        double meanDiagonal = 0;
        for (int i = 0; i < Size; i++) meanDiagonal += kernel.Data[i * Size + i];
        meanDiagonal /= Size;
        string advice = meanDiagonal > 0
            ? $"add diagonal regularisation of more than {-Smallest / meanDiagonal:G2} x trace/N, e.g. --diag-reg {SuggestedRelative(-Smallest / meanDiagonal)}"
            : "check how the kernel was computed: its diagonal is not positive";
        throw new KernelRequestException(string.Create(CultureInfo.InvariantCulture,
            $"{what} is not positive semi-definite: its smallest eigenvalue is {Smallest:G4} (largest {Largest:G4}); {advice}"));
    }

    /// <summary>A round relative regularisation comfortably above <paramref name="needed"/> (10x, rounded up to a power of ten).</summary>
    internal static string SuggestedRelative(double needed) =>
        Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(needed, 1e-300) * 10))).ToString("G1", CultureInfo.InvariantCulture);

    /// <summary>Coordinates of the columns of <paramref name="b"/> (N x C) in the eigenbasis: Vᵀ B (N x C).</summary>
    public Matrix<double> ToEigenbasis(Matrix<double> b)
    {
        if (b.Rows != Size) throw new ArgumentException($"expected {Size} rows, got {b.Rows}", nameof(b));
        var result = new Matrix<double>(Size, b.Cols);
        LinearAlgebra.Current.GemmTN(Size, b.Cols, Size, 1.0, Vectors.Data, b.Data, 0.0, result.Data);
        return result;
    }

    /// <summary>Back from eigen-coordinates: V C (N x C) for C of N rows.</summary>
    public Matrix<double> FromEigenbasis(Matrix<double> coordinates)
    {
        if (coordinates.Rows != Size) throw new ArgumentException($"expected {Size} rows, got {coordinates.Rows}", nameof(coordinates));
        var result = new Matrix<double>(Size, coordinates.Cols);
        LinearAlgebra.Current.GemmNN(Size, coordinates.Cols, Size, 1.0, Vectors.Data, coordinates.Data, 0.0, result.Data);
        return result;
    }
}
