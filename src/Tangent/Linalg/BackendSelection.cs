namespace Tangent.Linalg;

/// <summary>
/// The outcome of looking for a native library once: the native backend or the reason there is none, and the backend
/// that <see cref="LinearAlgebra.Current"/> defaults to. Separate from <see cref="LinearAlgebra"/> so tests can resolve
/// any <c>TANGENT_BLAS</c> value without disturbing the process-wide choice.
/// </summary>
internal sealed class BackendSelection
{
    public NativeBackend? Native { get; }
    public string? NativeLoadError { get; }

    /// <summary>Native when it loaded, otherwise managed.</summary>
    public ILinearAlgebraBackend Default => (ILinearAlgebraBackend?)Native ?? ManagedBackend.Instance;

    private BackendSelection(NativeBackend? native, string? error)
    {
        Native = native;
        NativeLoadError = error;
    }

    /// <summary>Resolves the backends for the given value of <c>TANGENT_BLAS</c> (null or empty: the system defaults).</summary>
    public static BackendSelection Resolve(string? tangentBlas)
    {
        try
        {
            var native = NativeBlasLoader.TryLoad(tangentBlas, out var error);
            return new BackendSelection(native, error);
        }
        catch (Exception e)
        {
            // The loader is written not to throw; this is the backstop for the unforeseen, because a missing fast path
            // must never take the program down.
            return new BackendSelection(null, $"native BLAS loading failed unexpectedly: {e.GetType().Name}: {e.Message}");
        }
    }
}
