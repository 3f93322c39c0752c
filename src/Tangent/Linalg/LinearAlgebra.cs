namespace Tangent.Linalg;

/// <summary>
/// Entry point to Tangent's dense linear algebra: picks a native BLAS/LAPACK when one can be loaded and the managed
/// implementation otherwise.
/// </summary>
/// <remarks>
/// The native library is looked for on first use, in this order: <c>TANGENT_BLAS=/path/lib.so</c> if set (several
/// paths joined by ':' are pooled; a failure there is reported, not papered over by another library), else
/// <c>libopenblas.so.0</c>, else <c>libmkl_rt.so</c>, else <c>liblapack.so.3</c> + <c>libblas.so.3</c>.
/// Before loading, OPENBLAS_THREAD_TIMEOUT=4 is put in the native environment unless already set, so OpenBLAS's idle
/// threads sleep instead of spinning on the cores that managed Parallel.For work needs next.
/// </remarks>
public static class LinearAlgebra
{
    private static readonly Lazy<BackendSelection> s_selection =
        new(() => BackendSelection.Resolve(Environment.GetEnvironmentVariable(NativeBlasLoader.EnvironmentVariable)));

    // Async-local, not global: a test or benchmark forcing one backend does not change what concurrently running code
    // sees, and the override flows into tasks and Parallel.For bodies started inside the scope.
    private static readonly AsyncLocal<ILinearAlgebraBackend?> s_override = new();

    /// <summary>
    /// The backend to use: the innermost <see cref="Use"/> override in the current logical flow if any, else the native
    /// backend if it loaded, else the managed one.
    /// </summary>
    public static ILinearAlgebraBackend Current => s_override.Value ?? s_selection.Value.Default;

    /// <summary>The pure .NET backend (always available).</summary>
    public static ILinearAlgebraBackend Managed => ManagedBackend.Instance;

    /// <summary>The native backend, or null when no native library could be loaded (see <see cref="NativeLoadError"/>).</summary>
    public static ILinearAlgebraBackend? Native => s_selection.Value.Native;

    /// <summary>Why <see cref="Native"/> is null; null when it is not.</summary>
    public static string? NativeLoadError => s_selection.Value.NativeLoadError;

    /// <summary>One line telling a user how to get the fast native path on this operating system.</summary>
    public static string FastPathHint =>
        OperatingSystem.IsWindows() ? $"put libopenblas.dll (OpenBLAS release zip) on PATH, or set {NativeBlasLoader.EnvironmentVariable}=C:\\path\\to\\libopenblas.dll"
        : OperatingSystem.IsMacOS() ? $"install a native BLAS: brew install openblas (or set {NativeBlasLoader.EnvironmentVariable}=/path/to/libopenblas.dylib)"
        : $"install a native BLAS: sudo apt-get install libopenblas0-pthread (or set {NativeBlasLoader.EnvironmentVariable}=/path/to/libblas.so)";

    /// <summary>
    /// Makes <see cref="Current"/> return the given backend until the result is disposed, in the calling logical flow
    /// (thread, async continuation, and the parallel work it starts). Scopes nest; disposing restores the previous one.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="BackendKind.Native"/> was asked for but is unavailable.</exception>
    public static IDisposable Use(BackendKind kind)
    {
        ILinearAlgebraBackend backend = kind switch
        {
            BackendKind.Managed => Managed,
            BackendKind.Native => Native ?? throw new InvalidOperationException(
                $"the native linear-algebra backend is unavailable: {NativeLoadError}. To fix: {FastPathHint}"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        var scope = new Scope(s_override.Value);
        s_override.Value = backend;
        return scope;
    }

    /// <summary>
    /// Sets the thread count of the native library (<c>openblas_set_num_threads</c>, <c>MKL_Set_Num_Threads</c>) when it
    /// exports such a function; otherwise does nothing. Loads the native library if that has not happened yet. While a
    /// <see cref="PinNativeToOneThread"/> pin is held the library stays on one thread, and the count set meanwhile
    /// takes effect when the last pin is released.
    /// </summary>
    public static void SetNativeThreads(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        lock (s_pinGate)
        {
            s_unpinnedThreads = n;
            if (s_pinHolders == 0) s_selection.Value.Native?.TrySetThreads(n);
        }
    }

    private static readonly object s_pinGate = new();
    private static int s_pinHolders;
    private static int s_unpinnedThreads = Environment.ProcessorCount;

    /// <summary>
    /// Runs the native library on one thread until the result is disposed: for callers that keep every core busy
    /// themselves, and for results that must not depend on the thread count (a threaded SYRK splits its work, and so
    /// rounds its last bits, differently for different counts). Reference-counted, since the setting is process-wide:
    /// overlapping pins share it, <see cref="SetNativeThreads"/> waits for them, and the last one out restores the
    /// count last set (one thread per core unless set otherwise).
    /// </summary>
    public static IDisposable PinNativeToOneThread()
    {
        lock (s_pinGate)
        {
            if (s_pinHolders++ == 0) s_selection.Value.Native?.TrySetThreads(1);
        }
        return new Pin();
    }

    private sealed class Pin : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0) return;
            lock (s_pinGate)
            {
                if (--s_pinHolders == 0) s_selection.Value.Native?.TrySetThreads(s_unpinnedThreads);
            }
        }
    }

    private sealed class Scope(ILinearAlgebraBackend? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            s_override.Value = previous;
        }
    }
}
