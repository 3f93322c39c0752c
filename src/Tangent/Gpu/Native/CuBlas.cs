namespace Tangent.Gpu.Native;

/// <summary>
/// The few cuBLAS functions Tangent uses, bound at run time (<see cref="CudaLibraries"/>): handle management, stream
/// binding, and GEMM. Matrices are column-major in cuBLAS; Tangent's are row-major, so a row-major C = A·Bᵀ is the
/// column-major Cᵀ = B·Aᵀ, which is how <see cref="GemmNT{T}"/> calls it.
/// </summary>
internal sealed unsafe class CuBlas : IDisposable
{
    private const int OpN = 0, OpT = 1;
    private readonly delegate* unmanaged<IntPtr*, int> _create;
    private readonly delegate* unmanaged<IntPtr, int> _destroy;
    private readonly delegate* unmanaged<IntPtr, IntPtr, int> _setStream;
    private readonly delegate* unmanaged<IntPtr, int, int, int, int, int, double*, IntPtr, int, IntPtr, int, double*, IntPtr, int, int> _dgemm;
    private readonly delegate* unmanaged<IntPtr, int, int, int, int, int, float*, IntPtr, int, IntPtr, int, float*, IntPtr, int, int> _sgemm;
    private IntPtr _handle;

    /// <summary>Where the library was loaded from.</summary>
    public string Path { get; }

    private CuBlas(IntPtr lib, string path)
    {
        Path = path;
        _create = (delegate* unmanaged<IntPtr*, int>)CudaLibraries.Export(lib, path, "cublasCreate_v2");
        _destroy = (delegate* unmanaged<IntPtr, int>)CudaLibraries.Export(lib, path, "cublasDestroy_v2");
        _setStream = (delegate* unmanaged<IntPtr, IntPtr, int>)CudaLibraries.Export(lib, path, "cublasSetStream_v2");
        _dgemm = (delegate* unmanaged<IntPtr, int, int, int, int, int, double*, IntPtr, int, IntPtr, int, double*, IntPtr, int, int>)CudaLibraries.Export(lib, path, "cublasDgemm_v2");
        _sgemm = (delegate* unmanaged<IntPtr, int, int, int, int, int, float*, IntPtr, int, IntPtr, int, float*, IntPtr, int, int>)CudaLibraries.Export(lib, path, "cublasSgemm_v2");
        IntPtr h;
        Check(_create(&h), "cublasCreate");
        _handle = h;
    }

    /// <summary>
    /// cuBLAS bound to the CUDA context current on this thread, or null with the reason when the library is missing or
    /// does not start (cuBLAS 13 for CUDA 13, 12 for CUDA 12, 11 for CUDA 11).
    /// </summary>
    public static CuBlas? TryCreate(out string? reason)
    {
        var found = CudaLibraries.Load(CudaLibraries.Names("libcublas", 13, 12, 11));
        if (found is null) { reason = "libcublas not found (set TANGENT_CUDA_LIBS to its folder)"; return null; }
        try { reason = null; return new CuBlas(found.Value.Handle, found.Value.Path); }
        catch (GpuUnavailableException e) { reason = e.Message; return null; }
    }

    /// <summary>Row-major C (m x n) = alpha · A (m x k, leading dimension lda) · Bᵀ (B n x k, ldb), on <paramref name="stream"/>.</summary>
    public void GemmNT<T>(IntPtr stream, int m, int n, int k, T alpha, IntPtr a, int lda, IntPtr b, int ldb, IntPtr c, int ldc) where T : unmanaged
    {
        Check(_setStream(_handle, stream), "cublasSetStream");
        if (typeof(T) == typeof(double))
        {
            double al = (double)(object)alpha, be = 0;
            Check(_dgemm(_handle, OpT, OpN, n, m, k, &al, b, ldb, a, lda, &be, c, ldc), "cublasDgemm");
        }
        else
        {
            float al = (float)(object)alpha, be = 0;
            Check(_sgemm(_handle, OpT, OpN, n, m, k, &al, b, ldb, a, lda, &be, c, ldc), "cublasSgemm");
        }
    }

    private static void Check(int status, string what)
    {
        if (status != 0) throw new InvalidOperationException($"{what} failed with cuBLAS status {status}");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_handle != IntPtr.Zero) { _destroy(_handle); _handle = IntPtr.Zero; }
    }
}
