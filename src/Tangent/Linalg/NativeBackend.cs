using System.Runtime.InteropServices;

namespace Tangent.Linalg;

/// <summary>
/// <see cref="ILinearAlgebraBackend"/> over a native BLAS/LAPACK library (Fortran ABI, column-major).
/// </summary>
/// <remarks>
/// Row-major to column-major without copies: a row-major r x c buffer IS the column-major c x r matrix holding the
/// transpose. So every call below is the transpose of the wanted identity, with the operands swapped where needed;
/// each method states the identity it uses. Triangles flip too: the row-major upper triangle is the column-major lower.
/// </remarks>
internal sealed unsafe class NativeBackend : ILinearAlgebraBackend
{
    private const byte N = (byte)'N', T = (byte)'T', L = (byte)'L', U = (byte)'U', R = (byte)'R', V = (byte)'V';
    private readonly NativeBlasApi _api;

    public NativeBackend(NativeBlasApi api, string name)
    {
        _api = api;
        Name = name;
    }

    public BackendKind Kind => BackendKind.Native;
    public string Name { get; }

    /// <summary>Calls <c>openblas_set_num_threads</c>/<c>MKL_Set_Num_Threads</c> when the library has one.</summary>
    public bool TrySetThreads(int threads)
    {
        if (_api.SetNumThreads == null) return false;
        _api.SetNumThreads(threads);
        return true;
    }

    // Row-major C = alpha A A^T (A n x k). The buffer of A is column-major A^T (k x n, ld k), so C = (A^T)^T (A^T):
    // dsyrk with TRANS='T'. The row-major upper triangle we must fill is the column-major lower: UPLO='L'.
    public void SyrkUpper(int n, int k, double alpha, ReadOnlySpan<double> a, Span<double> c)
    {
        DenseArgs.Syrk(n, k, a.Length, c.Length);
        if (n == 0) return;
        if (k == 0) { c[..(n * n)].Clear(); return; }
        byte uplo = L, trans = T;
        FortranInt nn = n, kk = k, lda = k, ldc = n;
        double beta = 0;
        fixed (double* pa = a, pc = c)
            _api.Dsyrk(&uplo, &trans, &nn, &kk, &alpha, pa, &lda, &beta, pc, &ldc, 1, 1);
    }

    public void SyrkUpper(int n, int k, float alpha, ReadOnlySpan<float> a, Span<float> c)
    {
        DenseArgs.Syrk(n, k, a.Length, c.Length);
        if (n == 0) return;
        if (k == 0) { c[..(n * n)].Clear(); return; }
        byte uplo = L, trans = T;
        FortranInt nn = n, kk = k, lda = k, ldc = n;
        float beta = 0;
        fixed (float* pa = a, pc = c)
            _api.Ssyrk(&uplo, &trans, &nn, &kk, &alpha, pa, &lda, &beta, pc, &ldc, 1, 1);
    }

    // Row-major C = A B^T is column-major C^T = B A^T. Column-major, the buffer of B (n x k) is B^T (k x n, ld k), so
    // its transpose is taken ('T'); the buffer of A (m x k) is A^T (k x m, ld k), used as is ('N').
    public void GemmNT(int m, int n, int k, double alpha, ReadOnlySpan<double> a, ReadOnlySpan<double> b, double beta, Span<double> c)
    {
        DenseArgs.Gemm(m, n, k, a.Length, b.Length, c.Length, aTransposed: false, bTransposed: true);
        if (QuickReturn(m, n, k, alpha, beta, c)) return;
        byte ta = T, tb = N;
        FortranInt mm = n, nn = m, kk = k, lda = k, ldb = k, ldc = n;
        fixed (double* pa = a, pb = b, pc = c)
            _api.Dgemm(&ta, &tb, &mm, &nn, &kk, &alpha, pb, &lda, pa, &ldb, &beta, pc, &ldc, 1, 1);
    }

    public void GemmNT(int m, int n, int k, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        DenseArgs.Gemm(m, n, k, a.Length, b.Length, c.Length, aTransposed: false, bTransposed: true);
        if (QuickReturn(m, n, k, alpha, beta, c)) return;
        byte ta = T, tb = N;
        FortranInt mm = n, nn = m, kk = k, lda = k, ldb = k, ldc = n;
        fixed (float* pa = a, pb = b, pc = c)
            _api.Sgemm(&ta, &tb, &mm, &nn, &kk, &alpha, pb, &lda, pa, &ldb, &beta, pc, &ldc, 1, 1);
    }

    // Row-major C = A B is column-major C^T = B^T A^T: the buffer of B (k x n) is B^T (n x k, ld n), the buffer of
    // A (m x k) is A^T (k x m, ld k); both are used as they are.
    public void GemmNN(int m, int n, int k, double alpha, ReadOnlySpan<double> a, ReadOnlySpan<double> b, double beta, Span<double> c)
    {
        DenseArgs.Gemm(m, n, k, a.Length, b.Length, c.Length, aTransposed: false, bTransposed: false);
        if (QuickReturn(m, n, k, alpha, beta, c)) return;
        byte ta = N, tb = N;
        FortranInt mm = n, nn = m, kk = k, lda = n, ldb = k, ldc = n;
        fixed (double* pa = a, pb = b, pc = c)
            _api.Dgemm(&ta, &tb, &mm, &nn, &kk, &alpha, pb, &lda, pa, &ldb, &beta, pc, &ldc, 1, 1);
    }

    public void GemmNN(int m, int n, int k, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        DenseArgs.Gemm(m, n, k, a.Length, b.Length, c.Length, aTransposed: false, bTransposed: false);
        if (QuickReturn(m, n, k, alpha, beta, c)) return;
        byte ta = N, tb = N;
        FortranInt mm = n, nn = m, kk = k, lda = n, ldb = k, ldc = n;
        fixed (float* pa = a, pb = b, pc = c)
            _api.Sgemm(&ta, &tb, &mm, &nn, &kk, &alpha, pb, &lda, pa, &ldb, &beta, pc, &ldc, 1, 1);
    }

    // Row-major C = A^T B is column-major C^T = B^T A: the buffer of B (k x n) is B^T (n x k, ld n), used as is; the
    // buffer of A (k x m) is A^T (m x k, ld m), whose transpose A is wanted ('T').
    public void GemmTN(int m, int n, int k, double alpha, ReadOnlySpan<double> a, ReadOnlySpan<double> b, double beta, Span<double> c)
    {
        DenseArgs.Gemm(m, n, k, a.Length, b.Length, c.Length, aTransposed: true, bTransposed: false);
        if (QuickReturn(m, n, k, alpha, beta, c)) return;
        byte ta = N, tb = T;
        FortranInt mm = n, nn = m, kk = k, lda = n, ldb = m, ldc = n;
        fixed (double* pa = a, pb = b, pc = c)
            _api.Dgemm(&ta, &tb, &mm, &nn, &kk, &alpha, pb, &lda, pa, &ldb, &beta, pc, &ldc, 1, 1);
    }

    public void GemmTN(int m, int n, int k, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        DenseArgs.Gemm(m, n, k, a.Length, b.Length, c.Length, aTransposed: true, bTransposed: false);
        if (QuickReturn(m, n, k, alpha, beta, c)) return;
        byte ta = N, tb = T;
        FortranInt mm = n, nn = m, kk = k, lda = n, ldb = m, ldc = n;
        fixed (float* pa = a, pb = b, pc = c)
            _api.Sgemm(&ta, &tb, &mm, &nn, &kk, &alpha, pb, &lda, pa, &ldb, &beta, pc, &ldc, 1, 1);
    }

    // Row-major lower L with A = L L^T is, column-major, the upper U = L^T with A = U^T U: dpotrf with UPLO='U'.
    // dpotrf leaves the other triangle (row-major upper) untouched, so it is zeroed afterwards.
    public bool TryCholesky(int n, Span<double> a)
    {
        DenseArgs.Square(n, a.Length);
        if (n == 0) return true;
        byte uplo = U;
        FortranInt nn = n, lda = n, info = 0;
        fixed (double* pa = a)
            _api.Dpotrf(&uplo, &nn, pa, &lda, &info, 1);
        if (info.Value < 0) throw new InvalidOperationException($"dpotrf_ rejected argument {-info.Value} (a bug in Tangent)");
        if (info.Value > 0) return false;   // leading minor of order info is not positive definite
        // OpenBLAS's own dpotrf tests a pivot with "<= 0" only, so NaN input sails through with info = 0; a NaN
        // anywhere in the lower triangle reaches the diagonal of L, so checking it catches them all.
        for (int i = 0; i < n; i++)
            if (!double.IsFinite(a[i * n + i])) return false;
        RowMajor.ZeroStrictUpper(n, a);
        return true;
    }

    // With one right-hand side the row-major and column-major layouts of B coincide, so dpotrs applies directly
    // (UPLO='U', as in TryCholesky). With several, the row-major B (n x nrhs) is column-major B^T (nrhs x n), and
    // X^T solves X^T (U^T U) = B^T: two triangular solves from the right, done in place by dtrsm.
    public void CholeskySolve(int n, ReadOnlySpan<double> l, int nrhs, Span<double> b)
    {
        DenseArgs.CholeskySolve(n, l.Length, nrhs, b.Length);
        if (n == 0 || nrhs == 0) return;
        fixed (double* pl = l, pb = b)
        {
            if (nrhs == 1)
            {
                byte uplo = U;
                FortranInt nn = n, one = 1, lda = n, ldb = n, info = 0;
                _api.Dpotrs(&uplo, &nn, &one, pl, &lda, pb, &ldb, &info, 1);
                if (info.Value != 0) throw new InvalidOperationException($"dpotrs_ returned info={info.Value} (a bug in Tangent)");
                return;
            }
            byte side = R, upper = U, noTrans = N, trans = T, nonUnit = N;
            FortranInt mm = nrhs, nn2 = n, ldl = n, ldbx = nrhs;
            double alpha = 1;
            // Z U = B^T, then X^T U^T = Z.
            _api.Dtrsm(&side, &upper, &noTrans, &nonUnit, &mm, &nn2, &alpha, pl, &ldl, pb, &ldbx, 1, 1, 1, 1);
            _api.Dtrsm(&side, &upper, &trans, &nonUnit, &mm, &nn2, &alpha, pl, &ldl, pb, &ldbx, 1, 1, 1, 1);
        }
    }

    // The row-major upper triangle is the column-major lower: UPLO='L'. dsyevd returns eigenvector k as column-major
    // column k, i.e. row k of the row-major buffer, so one in-place transpose gives the promised columns.
    public void SymmetricEigen(int n, Span<double> a, Span<double> w)
    {
        DenseArgs.Eigen(n, a, w.Length);
        if (n == 0) return;
        byte jobz = V, uplo = L;
        FortranInt nn = n, lda = n, info = 0;
        fixed (double* pa = a, pw = w)
        {
            // Workspace query: lwork = liwork = -1 makes dsyevd report the sizes it wants in work[0] and iwork[0].
            double workSize = 0;
            FortranInt iworkSize = 0, query = -1;
            _api.Dsyevd(&jobz, &uplo, &nn, pa, &lda, pw, &workSize, &query, &iworkSize, &query, &info, 1, 1);
            if (info.Value != 0) throw new InvalidOperationException($"dsyevd_ workspace query returned info={info.Value}");
            long lwork = (long)Math.Ceiling(workSize), liwork = iworkSize.Value;
            if (lwork > int.MaxValue || liwork > int.MaxValue || liwork < 0)
                throw new ArgumentException($"n={n} needs a dsyevd workspace of {lwork} doubles, beyond 32-bit BLAS integers", nameof(n));

            double* work = (double*)NativeMemory.Alloc((nuint)lwork, sizeof(double));
            // 8 bytes per integer so an ILP64 library also fits (see FortranInt).
            FortranInt* iwork = (FortranInt*)NativeMemory.Alloc((nuint)liwork, (nuint)sizeof(FortranInt));
            try
            {
                FortranInt lw = (int)lwork, liw = (int)liwork;
                _api.Dsyevd(&jobz, &uplo, &nn, pa, &lda, pw, work, &lw, iwork, &liw, &info, 1, 1);
            }
            finally
            {
                NativeMemory.Free(work);
                NativeMemory.Free(iwork);
            }
        }
        if (info.Value < 0) throw new InvalidOperationException($"dsyevd_ rejected argument {-info.Value} (a bug in Tangent)");
        if (info.Value > 0) throw new InvalidOperationException($"dsyevd_ failed to converge (info={info.Value})");
        RowMajor.TransposeInPlace(n, a);
    }

    /// <summary>
    /// Handles the cases BLAS may not touch (or may reject: lda = k = 0 is an illegal argument): an empty product
    /// leaves C = beta C, with beta = 0 meaning "overwrite", as in BLAS.
    /// </summary>
    private static bool QuickReturn<TNum>(int m, int n, int k, TNum alpha, TNum beta, Span<TNum> c)
        where TNum : System.Numerics.INumber<TNum>
    {
        if (m == 0 || n == 0) return true;
        if (k != 0 && !TNum.IsZero(alpha)) return false;
        var cc = c[..(m * n)];
        if (TNum.IsZero(beta)) cc.Clear();
        else if (beta != TNum.One)
            foreach (ref var x in cc) x *= beta;
        return true;
    }
}
