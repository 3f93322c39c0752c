namespace Tangent.Linalg;

/// <summary>
/// One implementation of the dense algebra Tangent needs. All matrices are ROW-MAJOR spans:
/// element (i, j) of an r x c matrix lives at index <c>i * c + j</c>.
/// </summary>
/// <remarks>
/// Spans may be longer than the matrix they hold (pooled buffers); only the leading elements are used.
/// Dimensions must be non-negative and spans long enough, otherwise an <see cref="ArgumentException"/> is thrown.
/// Every method is safe to call from several threads at once on distinct outputs.
/// </remarks>
public interface ILinearAlgebraBackend
{
    /// <summary>Native or managed.</summary>
    BackendKind Kind { get; }

    /// <summary>Human-readable description, e.g. "OpenBLAS 0.3.21 (/lib/x86_64-linux-gnu/libopenblas.so.0)".</summary>
    string Name { get; }

    /// <summary>
    /// C (n x n) = alpha * A * A^T, with A n x k. Fills at least the upper triangle <c>C[i*n+j], j &gt;= i</c>;
    /// the strict lower triangle may hold anything afterwards. C's previous contents are ignored (even NaN).
    /// </summary>
    void SyrkUpper(int n, int k, double alpha, ReadOnlySpan<double> a, Span<double> c);

    /// <inheritdoc cref="SyrkUpper(int, int, double, ReadOnlySpan{double}, Span{double})"/>
    void SyrkUpper(int n, int k, float alpha, ReadOnlySpan<float> a, Span<float> c);

    /// <summary>
    /// C (m x n) = alpha * A * B^T + beta * C, with A m x k and B n x k.
    /// When <paramref name="beta"/> is zero C is not read (BLAS semantics: NaN in C does not propagate).
    /// </summary>
    void GemmNT(int m, int n, int k, double alpha, ReadOnlySpan<double> a, ReadOnlySpan<double> b, double beta, Span<double> c);

    /// <inheritdoc cref="GemmNT(int, int, int, double, ReadOnlySpan{double}, ReadOnlySpan{double}, double, Span{double})"/>
    void GemmNT(int m, int n, int k, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c);

    /// <summary>C (m x n) = alpha * A * B + beta * C, with A m x k and B k x n. C is not read when beta is zero.</summary>
    void GemmNN(int m, int n, int k, double alpha, ReadOnlySpan<double> a, ReadOnlySpan<double> b, double beta, Span<double> c);

    /// <inheritdoc cref="GemmNN(int, int, int, double, ReadOnlySpan{double}, ReadOnlySpan{double}, double, Span{double})"/>
    void GemmNN(int m, int n, int k, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c);

    /// <summary>C (m x n) = alpha * A^T * B + beta * C, with A k x m and B k x n. C is not read when beta is zero.</summary>
    void GemmTN(int m, int n, int k, double alpha, ReadOnlySpan<double> a, ReadOnlySpan<double> b, double beta, Span<double> c);

    /// <inheritdoc cref="GemmTN(int, int, int, double, ReadOnlySpan{double}, ReadOnlySpan{double}, double, Span{double})"/>
    void GemmTN(int m, int n, int k, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c);

    /// <summary>
    /// Cholesky factorisation in place. Only the lower triangle of <paramref name="a"/> (n x n, symmetric) is read.
    /// On success <paramref name="a"/> holds L with A = L L^T in its lower triangle and zeros above the diagonal.
    /// </summary>
    /// <returns><c>false</c> if A is not (numerically) positive definite; <paramref name="a"/> is then unspecified.</returns>
    bool TryCholesky(int n, Span<double> a);

    /// <summary>
    /// Solves (L L^T) X = B in place: <paramref name="l"/> is the factor from <see cref="TryCholesky"/> (only its lower
    /// triangle is read), <paramref name="b"/> is n x nrhs and is overwritten by X.
    /// </summary>
    void CholeskySolve(int n, ReadOnlySpan<double> l, int nrhs, Span<double> b);

    /// <summary>
    /// Symmetric eigendecomposition A = V diag(w) V^T. Only the upper triangle of <paramref name="a"/> is read.
    /// Eigenvalues go into <paramref name="w"/> (length n) in ascending order; <paramref name="a"/> is overwritten by the
    /// orthonormal eigenvectors as COLUMNS: <c>a[i*n + k]</c> is component i of eigenvector k.
    /// </summary>
    /// <exception cref="ArgumentException">The upper triangle holds NaN or infinity.</exception>
    /// <exception cref="InvalidOperationException">The algorithm failed to converge.</exception>
    void SymmetricEigen(int n, Span<double> a, Span<double> w);
}
