using System.Runtime.InteropServices;

namespace Tangent.Linalg;

/// <summary>
/// Finds and loads a native BLAS/LAPACK library at run time, in the order of DESIGN.md: <c>TANGENT_BLAS</c> if set,
/// else <c>libopenblas.so.0</c>, else <c>libmkl_rt.so</c>, else <c>liblapack.so.3</c> + <c>libblas.so.3</c>.
/// Never throws: a failure is returned as text and the caller falls back to the managed backend.
/// </summary>
internal static class NativeBlasLoader
{
    /// <summary>Environment variable naming the library to use (several joined by the path separator are pooled).</summary>
    public const string EnvironmentVariable = "TANGENT_BLAS";

    /// <summary>Libraries tried in order when <see cref="EnvironmentVariable"/> is unset; each entry's exports are pooled.</summary>
    public static IReadOnlyList<string[]> DefaultCandidates { get; } =
        OperatingSystem.IsWindows() ? [["libopenblas.dll"], ["mkl_rt.2.dll"]]
        : OperatingSystem.IsMacOS() ? [["libopenblas.dylib"], ["/opt/homebrew/opt/openblas/lib/libopenblas.dylib"], ["/usr/local/opt/openblas/lib/libopenblas.dylib"], ["libmkl_rt.dylib"]]
        : [["libopenblas.so.0"], ["libmkl_rt.so"], ["libmkl_rt.so.2"], ["liblapack.so.3", "libblas.so.3"]];

    /// <summary>
    /// Loads the library named by <paramref name="tangentBlas"/> (the value of <c>TANGENT_BLAS</c>) or, when that is
    /// null or empty, the first usable default. Returns null with the reason in <paramref name="error"/> on failure.
    /// An explicit <paramref name="tangentBlas"/> that fails does not fall through to the defaults: the user asked for
    /// that library, and silently using another would hide the mistake.
    /// </summary>
    public static NativeBackend? TryLoad(string? tangentBlas, out string? error)
    {
        PrepareOpenBlasEnvironment();
        if (!string.IsNullOrWhiteSpace(tangentBlas))
        {
            var paths = tangentBlas.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var backend = TryLoadSet(paths, out var why);
            error = backend is null ? $"{EnvironmentVariable}={tangentBlas}: {why}" : null;
            return backend;
        }

        var failures = new List<string>();
        foreach (var candidate in DefaultCandidates)
        {
            var backend = TryLoadSet(candidate, out var why);
            if (backend is not null) { error = null; return backend; }
            failures.Add($"{string.Join(" + ", candidate)}: {why}");
        }
        error = "no usable native BLAS/LAPACK: " + string.Join("; ", failures);
        return null;
    }

    /// <summary>Loads all of <paramref name="libraries"/>, pools their exports, and checks the result on a tiny problem.</summary>
    private static NativeBackend? TryLoadSet(IReadOnlyList<string> libraries, out string? error)
    {
        var handles = new List<nint>();
        foreach (var lib in libraries)
        {
            try { handles.Add(NativeLibrary.Load(lib)); }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or ArgumentException)
            {
                // Handles already opened are deliberately not closed: unloading a BLAS that may have started
                // threads is riskier than leaving a few mapped pages behind.
                // .NET's message is a generic preamble followed by the dynamic loader's own line, which is the useful part.
                var reason = LastLine(e.Message);
                error = reason.Contains(lib, StringComparison.Ordinal) ? reason : $"cannot load {lib}: {reason}";
                return null;
            }
        }

        var api = NativeBlasApi.Resolve(handles, out var missing);
        if (api is null)
        {
            error = $"{string.Join(" + ", libraries)} lacks {missing}";
            return null;
        }

        var backend = new NativeBackend(api, Describe(api, libraries));
        if (NativeSelfTest.Run(backend) is string failure)
        {
            error = $"{string.Join(" + ", libraries)} loaded but computes wrong results ({failure}); is it an ILP64 or non-standard build?";
            return null;
        }
        error = null;
        return backend;
    }

    /// <summary>
    /// OpenBLAS's worker threads busy-wait for about 2^28 cycles after each call before sleeping, stealing a core from
    /// the managed Parallel.For work that usually follows. OPENBLAS_THREAD_TIMEOUT=4 makes them sleep almost at once.
    /// OpenBLAS reads it from the native environment when it is loaded, hence setenv before any dlopen; a value the user
    /// set is kept.
    /// </summary>
    private static void PrepareOpenBlasEnvironment() => LibC.SetEnvIfUnset("OPENBLAS_THREAD_TIMEOUT", "4");

    private static string Describe(NativeBlasApi api, IReadOnlyList<string> libraries)
    {
        // dladdr names the file the loader actually mapped (full path), which is what one wants to see in a report.
        var blasFile = LibC.FileContaining(api.DgemmAddress);
        var lapackFile = LibC.FileContaining(api.DsyevdAddress);
        string files = blasFile is null || lapackFile is null ? string.Join(" + ", libraries)
                     : blasFile == lapackFile ? blasFile
                     : $"{lapackFile} + {blasFile}";
        return $"{api.Version ?? "BLAS/LAPACK"} ({files})";
    }

    private static string LastLine(string s) =>
        s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? s;
}
