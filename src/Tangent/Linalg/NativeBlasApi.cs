using System.Runtime.InteropServices;

namespace Tangent.Linalg;

/// <summary>
/// The function pointers of one loaded BLAS/LAPACK library, with the Fortran calling convention spelled out.
/// </summary>
/// <remarks>
/// Fortran ABI: every argument is passed by reference. A CHARACTER argument additionally gets a hidden length argument
/// appended after all the visible ones, of type <c>size_t</c> since gfortran 8 (an 8-byte slot on x86-64 and arm64, so
/// passing <see cref="nuint"/> is also right for older gfortran's <c>int</c>). It matters: reference LAPACK and the
/// LAPACK part of OpenBLAS (e.g. <c>dsyevd_</c>) are gfortran-compiled, and gfortran may tail-call through the hidden
/// lengths; leaving them off has corrupted stacks in the wild (the R/LAPACK breakage of 2019). OpenBLAS's own C
/// implementations (<c>dgemm_</c>, <c>dpotrf_</c>, ...) simply ignore the extra arguments, so we always pass them.
/// </remarks>
internal sealed unsafe class NativeBlasApi
{
    /// <summary>Symbols a library must export to be used; the first library exporting a symbol wins.</summary>
    public static readonly string[] RequiredSymbols = ["dsyrk_", "ssyrk_", "dgemm_", "sgemm_", "dpotrf_", "dpotrs_", "dtrsm_", "dsyevd_"];

    // (uplo, trans, n, k, alpha, a, lda, beta, c, ldc, len(uplo), len(trans))
    public delegate* unmanaged<byte*, byte*, FortranInt*, FortranInt*, double*, double*, FortranInt*, double*, double*, FortranInt*, nuint, nuint, void> Dsyrk;
    public delegate* unmanaged<byte*, byte*, FortranInt*, FortranInt*, float*, float*, FortranInt*, float*, float*, FortranInt*, nuint, nuint, void> Ssyrk;
    // (transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, len(transa), len(transb))
    public delegate* unmanaged<byte*, byte*, FortranInt*, FortranInt*, FortranInt*, double*, double*, FortranInt*, double*, FortranInt*, double*, double*, FortranInt*, nuint, nuint, void> Dgemm;
    public delegate* unmanaged<byte*, byte*, FortranInt*, FortranInt*, FortranInt*, float*, float*, FortranInt*, float*, FortranInt*, float*, float*, FortranInt*, nuint, nuint, void> Sgemm;
    // (uplo, n, a, lda, info, len(uplo))
    public delegate* unmanaged<byte*, FortranInt*, double*, FortranInt*, FortranInt*, nuint, void> Dpotrf;
    // (uplo, n, nrhs, a, lda, b, ldb, info, len(uplo))
    public delegate* unmanaged<byte*, FortranInt*, FortranInt*, double*, FortranInt*, double*, FortranInt*, FortranInt*, nuint, void> Dpotrs;
    // (side, uplo, transa, diag, m, n, alpha, a, lda, b, ldb, 4 x len)
    public delegate* unmanaged<byte*, byte*, byte*, byte*, FortranInt*, FortranInt*, double*, double*, FortranInt*, double*, FortranInt*, nuint, nuint, nuint, nuint, void> Dtrsm;
    // (jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork, info, len(jobz), len(uplo))
    public delegate* unmanaged<byte*, byte*, FortranInt*, double*, FortranInt*, double*, double*, FortranInt*, FortranInt*, FortranInt*, FortranInt*, nuint, nuint, void> Dsyevd;

    /// <summary><c>openblas_set_num_threads</c> or <c>MKL_Set_Num_Threads</c> (both take a C int by value), or null.</summary>
    public delegate* unmanaged<int, void> SetNumThreads;

    /// <summary>Where <c>dgemm_</c> and <c>dsyevd_</c> live (for the backend's name).</summary>
    public nint DgemmAddress, DsyevdAddress;

    /// <summary>Version text reported by the library itself, e.g. "OpenBLAS 0.3.21", or null.</summary>
    public string? Version;

    /// <summary>
    /// Resolves every required symbol from <paramref name="handles"/> (searched in order). Returns null and names the
    /// missing symbols in <paramref name="missing"/> when any is absent.
    /// </summary>
    public static NativeBlasApi? Resolve(IReadOnlyList<nint> handles, out string? missing)
    {
        var found = new Dictionary<string, nint>();
        var absent = new List<string>();
        foreach (var name in RequiredSymbols)
        {
            if (Find(handles, name) is nint p) found[name] = p;
            else absent.Add(name);
        }
        if (absent.Count > 0)
        {
            missing = string.Join(", ", absent);
            return null;
        }
        missing = null;
        var api = new NativeBlasApi
        {
            Dsyrk = (delegate* unmanaged<byte*, byte*, FortranInt*, FortranInt*, double*, double*, FortranInt*, double*, double*, FortranInt*, nuint, nuint, void>)found["dsyrk_"],
            Ssyrk = (delegate* unmanaged<byte*, byte*, FortranInt*, FortranInt*, float*, float*, FortranInt*, float*, float*, FortranInt*, nuint, nuint, void>)found["ssyrk_"],
            Dgemm = (delegate* unmanaged<byte*, byte*, FortranInt*, FortranInt*, FortranInt*, double*, double*, FortranInt*, double*, FortranInt*, double*, double*, FortranInt*, nuint, nuint, void>)found["dgemm_"],
            Sgemm = (delegate* unmanaged<byte*, byte*, FortranInt*, FortranInt*, FortranInt*, float*, float*, FortranInt*, float*, FortranInt*, float*, float*, FortranInt*, nuint, nuint, void>)found["sgemm_"],
            Dpotrf = (delegate* unmanaged<byte*, FortranInt*, double*, FortranInt*, FortranInt*, nuint, void>)found["dpotrf_"],
            Dpotrs = (delegate* unmanaged<byte*, FortranInt*, FortranInt*, double*, FortranInt*, double*, FortranInt*, FortranInt*, nuint, void>)found["dpotrs_"],
            Dtrsm = (delegate* unmanaged<byte*, byte*, byte*, byte*, FortranInt*, FortranInt*, double*, double*, FortranInt*, double*, FortranInt*, nuint, nuint, nuint, nuint, void>)found["dtrsm_"],
            Dsyevd = (delegate* unmanaged<byte*, byte*, FortranInt*, double*, FortranInt*, double*, double*, FortranInt*, FortranInt*, FortranInt*, FortranInt*, nuint, nuint, void>)found["dsyevd_"],
            DgemmAddress = found["dgemm_"],
            DsyevdAddress = found["dsyevd_"],
        };

        if ((Find(handles, "openblas_set_num_threads") ?? Find(handles, "MKL_Set_Num_Threads")) is nint threads)
            api.SetNumThreads = (delegate* unmanaged<int, void>)threads;
        api.Version = ReadVersion(handles);
        return api;
    }

    private static string? ReadVersion(IReadOnlyList<nint> handles)
    {
        if (Find(handles, "openblas_get_config") is nint config)
        {
            // "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64": keep name and version.
            var text = Marshal.PtrToStringUTF8((nint)((delegate* unmanaged<byte*>)config)()) ?? "";
            var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return words.Length >= 2 ? $"{words[0]} {words[1]}" : "OpenBLAS";
        }
        if (Find(handles, "MKL_Get_Version_String") is nint mkl)
        {
            var buffer = stackalloc byte[256];
            ((delegate* unmanaged<byte*, int, void>)mkl)(buffer, 256);
            return Marshal.PtrToStringUTF8((nint)buffer)?.Trim();
        }
        return null;
    }

    private static nint? Find(IReadOnlyList<nint> handles, string symbol)
    {
        foreach (var h in handles)
            if (NativeLibrary.TryGetExport(h, symbol, out nint p)) return p;
        return null;
    }
}
