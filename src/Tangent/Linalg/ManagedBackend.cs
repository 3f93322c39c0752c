using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.Providers.LinearAlgebra;

namespace Tangent.Linalg;

/// <summary>
/// Pure .NET <see cref="ILinearAlgebraBackend"/>: Tangent's own SIMD, multi-threaded GEMM/SYRK
/// (<see cref="ManagedGemm"/>, 20-50x faster than MathNet's managed product here) and MathNet.Numerics' managed provider
/// for the Cholesky factorisation and the symmetric eigendecomposition. Always available.
/// </summary>
internal sealed unsafe class ManagedBackend : ILinearAlgebraBackend
{
    public static ManagedBackend Instance { get; } = new();

    // The managed provider itself, not MathNet's global Control.LinearAlgebraProvider, which other code may switch
    // to a native MathNet provider.
    private static readonly ManagedLinearAlgebraProvider s_mathNet = ManagedLinearAlgebraProvider.Instance;

    private ManagedBackend()
    {
        var v = typeof(ManagedLinearAlgebraProvider).Assembly.GetName().Version;
        Name = $"managed (MathNet.Numerics {v?.ToString(3)}, {ManagedGemm.VectorWidth} GEMM)";
    }

    public BackendKind Kind => BackendKind.Managed;
    public string Name { get; }

    public void SyrkUpper(int n, int k, double alpha, ReadOnlySpan<double> a, Span<double> c) => Syrk(n, k, alpha, a, c);
    public void SyrkUpper(int n, int k, float alpha, ReadOnlySpan<float> a, Span<float> c) => Syrk(n, k, alpha, a, c);

    public void GemmNT(int m, int n, int k, double alpha, ReadOnlySpan<double> a, ReadOnlySpan<double> b, double beta, Span<double> c)
        => GemmNT<double>(m, n, k, alpha, a, b, beta, c);
    public void GemmNT(int m, int n, int k, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
        => GemmNT<float>(m, n, k, alpha, a, b, beta, c);

    public void GemmNN(int m, int n, int k, double alpha, ReadOnlySpan<double> a, ReadOnlySpan<double> b, double beta, Span<double> c)
        => GemmNN<double>(m, n, k, alpha, a, b, beta, c);
    public void GemmNN(int m, int n, int k, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
        => GemmNN<float>(m, n, k, alpha, a, b, beta, c);

    public void GemmTN(int m, int n, int k, double alpha, ReadOnlySpan<double> a, ReadOnlySpan<double> b, double beta, Span<double> c)
        => GemmTN<double>(m, n, k, alpha, a, b, beta, c);
    public void GemmTN(int m, int n, int k, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
        => GemmTN<float>(m, n, k, alpha, a, b, beta, c);

    private static void GemmNN<T>(int m, int n, int k, T alpha, ReadOnlySpan<T> a, ReadOnlySpan<T> b, T beta, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        DenseArgs.Gemm(m, n, k, a.Length, b.Length, c.Length, aTransposed: false, bTransposed: false);
        fixed (T* pa = a, pb = b, pc = c)
            ManagedGemm.Multiply(m, n, k, alpha, new StridedOperand<T>(pa, k, 1), new StridedOperand<T>(pb, n, 1), beta, pc, upperOnly: false);
    }

    private static void GemmTN<T>(int m, int n, int k, T alpha, ReadOnlySpan<T> a, ReadOnlySpan<T> b, T beta, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        DenseArgs.Gemm(m, n, k, a.Length, b.Length, c.Length, aTransposed: true, bTransposed: false);
        // op(A)[i, p] = A[p, i] = a[p * m + i].
        fixed (T* pa = a, pb = b, pc = c)
            ManagedGemm.Multiply(m, n, k, alpha, new StridedOperand<T>(pa, 1, m), new StridedOperand<T>(pb, n, 1), beta, pc, upperOnly: false);
    }

    private static void GemmNT<T>(int m, int n, int k, T alpha, ReadOnlySpan<T> a, ReadOnlySpan<T> b, T beta, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        DenseArgs.Gemm(m, n, k, a.Length, b.Length, c.Length, aTransposed: false, bTransposed: true);
        // op(B)[p, j] = B[j, p] = b[j * k + p].
        fixed (T* pa = a, pb = b, pc = c)
            ManagedGemm.Multiply(m, n, k, alpha, new StridedOperand<T>(pa, k, 1), new StridedOperand<T>(pb, 1, k), beta, pc, upperOnly: false);
    }

    private static void Syrk<T>(int n, int k, T alpha, ReadOnlySpan<T> a, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        DenseArgs.Syrk(n, k, a.Length, c.Length);
        fixed (T* pa = a, pc = c)
            ManagedGemm.Multiply(n, n, k, alpha, new StridedOperand<T>(pa, k, 1), new StridedOperand<T>(pa, 1, k), T.Zero, pc, upperOnly: true);
    }

    public bool TryCholesky(int n, Span<double> a)
    {
        DenseArgs.Square(n, a.Length);
        if (n == 0) return true;
        // MathNet wants a column-major array. Symmetrise from our lower triangle (the one the contract reads).
        var work = GC.AllocateUninitializedArray<double>(n * n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                work[i * n + j] = work[j * n + i] = a[i * n + j];
        // MathNet throws on a non-positive pivot, but lets NaN through; check the diagonal first so the answer does
        // not depend on which comparison a NaN happens to meet.
        for (int i = 0; i < n; i++)
            if (!(work[i * n + i] > 0)) return false;
        try
        {
            s_mathNet.CholeskyFactor(work, n);
        }
        catch (ArgumentException)
        {
            return false;   // "Matrix must be positive definite."
        }
        // work is column-major L (zeros above the diagonal), i.e. row-major L^T: transpose into a.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                a[i * n + j] = work[j * n + i];
        for (int i = 0; i < n; i++)
            if (!double.IsFinite(a[i * n + i])) return false;
        return true;
    }

    public void CholeskySolve(int n, ReadOnlySpan<double> l, int nrhs, Span<double> b)
    {
        DenseArgs.CholeskySolve(n, l.Length, nrhs, b.Length);
        if (n == 0 || nrhs == 0) return;
        TriangularSolve.LowerThenLowerTransposed(n, l, nrhs, b);
    }

    public void SymmetricEigen(int n, Span<double> a, Span<double> w)
    {
        DenseArgs.Eigen(n, a, w.Length);
        if (n == 0) return;
        // Symmetrise from the upper triangle (the one the contract reads); symmetric, so layout does not matter.
        var matrix = GC.AllocateUninitializedArray<double>(n * n);
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
                matrix[i * n + j] = matrix[j * n + i] = a[i * n + j];
        var vectors = new double[n * n];
        var values = new Complex[n];
        s_mathNet.EigenDecomp(true, n, matrix, vectors, values, new double[n * n]);

        // MathNet documents ascending order; sort anyway (stable, O(n log n)) so the contract never rests on that.
        var order = new int[n];
        var lambda = new double[n];
        for (int i = 0; i < n; i++) { order[i] = i; lambda[i] = values[i].Real; }
        Array.Sort(lambda, order);
        lambda.CopyTo(w);
        // vectors is column-major: component i of MathNet's eigenvector q is vectors[q * n + i].
        for (int i = 0; i < n; i++)
            for (int kk = 0; kk < n; kk++)
                a[i * n + kk] = vectors[order[kk] * n + i];
    }
}
