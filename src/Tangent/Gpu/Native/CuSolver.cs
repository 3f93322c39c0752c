namespace Tangent.Gpu.Native;

/// <summary>
/// cuSOLVER's dense symmetric eigensolver (divide and conquer, <c>syevd</c>), bound at run time. A symmetric row-major
/// matrix is its own column-major transpose, so Tangent's upper triangle is cuSOLVER's lower one; the eigenvectors come
/// back as column-major columns, i.e. as rows of Tangent's row-major buffer.
/// </summary>
internal sealed unsafe class CuSolver : IDisposable
{
    private const int EigModeVector = 1, FillLower = 0;
    private readonly delegate* unmanaged<IntPtr*, int> _create;
    private readonly delegate* unmanaged<IntPtr, int> _destroy;
    private readonly delegate* unmanaged<IntPtr, IntPtr, int> _setStream;
    private readonly delegate* unmanaged<IntPtr, int, int, int, IntPtr, int, IntPtr, int*, int> _dBufferSize;
    private readonly delegate* unmanaged<IntPtr, int, int, int, IntPtr, int, IntPtr, IntPtr, int, IntPtr, int> _dsyevd;
    private IntPtr _handle;

    /// <summary>Where the library was loaded from.</summary>
    public string Path { get; }

    private CuSolver(IntPtr lib, string path)
    {
        Path = path;
        _create = (delegate* unmanaged<IntPtr*, int>)CudaLibraries.Export(lib, path, "cusolverDnCreate");
        _destroy = (delegate* unmanaged<IntPtr, int>)CudaLibraries.Export(lib, path, "cusolverDnDestroy");
        _setStream = (delegate* unmanaged<IntPtr, IntPtr, int>)CudaLibraries.Export(lib, path, "cusolverDnSetStream");
        _dBufferSize = (delegate* unmanaged<IntPtr, int, int, int, IntPtr, int, IntPtr, int*, int>)CudaLibraries.Export(lib, path, "cusolverDnDsyevd_bufferSize");
        _dsyevd = (delegate* unmanaged<IntPtr, int, int, int, IntPtr, int, IntPtr, IntPtr, int, IntPtr, int>)CudaLibraries.Export(lib, path, "cusolverDnDsyevd");
        IntPtr h;
        int status = _create(&h);
        if (status != 0) throw new GpuUnavailableException($"cusolverDnCreate failed with status {status}");
        _handle = h;
    }

    /// <summary>cuSOLVER bound to the current CUDA context, or null with the reason (libcusolver 12 for CUDA 13, 11 for CUDA 12 and 11).</summary>
    public static CuSolver? TryCreate(out string? reason)
    {
        var found = CudaLibraries.Load(CudaLibraries.Names("libcusolver", 12, 11, 10));
        if (found is null) { reason = "libcusolver not found (set TANGENT_CUDA_LIBS to its folder)"; return null; }
        try { reason = null; return new CuSolver(found.Value.Handle, found.Value.Path); }
        catch (GpuUnavailableException e) { reason = e.Message; return null; }
    }

    /// <summary>Workspace elements (float64) that <see cref="Dsyevd"/> needs for order <paramref name="n"/>.</summary>
    public int DsyevdWorkspace(IntPtr stream, int n, IntPtr a, IntPtr w)
    {
        Check(_setStream(_handle, stream), "cusolverDnSetStream");
        int lwork;
        Check(_dBufferSize(_handle, EigModeVector, FillLower, n, a, n, w, &lwork), "cusolverDnDsyevd_bufferSize");
        return lwork;
    }

    /// <summary>Eigenvalues (ascending) into <paramref name="w"/> and eigenvectors over <paramref name="a"/>; <paramref name="info"/> receives LAPACK's info.</summary>
    public void Dsyevd(IntPtr stream, int n, IntPtr a, IntPtr w, IntPtr work, int lwork, IntPtr info)
    {
        Check(_setStream(_handle, stream), "cusolverDnSetStream");
        Check(_dsyevd(_handle, EigModeVector, FillLower, n, a, n, w, work, lwork, info), "cusolverDnDsyevd");
    }

    private static void Check(int status, string what)
    {
        if (status != 0) throw new InvalidOperationException($"{what} failed with cuSOLVER status {status}");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_handle != IntPtr.Zero) { _destroy(_handle); _handle = IntPtr.Zero; }
    }
}
