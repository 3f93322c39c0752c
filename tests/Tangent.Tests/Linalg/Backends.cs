using Xunit;
using Tangent.Linalg;

namespace Tangent.Tests.Linalg;

/// <summary>Which backends the theories run on, and how to get each.</summary>
public static class Backends
{
    /// <summary>
    /// Both kinds, always: the native one is expected on every machine that runs the tests (.ci/run installs
    /// OpenBLAS). <see cref="Get"/> fails loudly when it is missing rather than letting its tests pass unrun;
    /// set TANGENT_TESTS_MANAGED_ONLY=1 on a machine deliberately without one.
    /// </summary>
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    public static bool ManagedOnly => Environment.GetEnvironmentVariable("TANGENT_TESTS_MANAGED_ONLY") == "1";

    /// <summary>The backend of that kind, or null when native is absent and that was explicitly allowed.</summary>
    public static ILinearAlgebraBackend? Get(BackendKind kind)
    {
        if (kind == BackendKind.Managed) return LinearAlgebra.Managed;
        if (LinearAlgebra.Native is { } native) return native;
        if (ManagedOnly) return null;
        Assert.Fail($"no native BLAS loaded ({LinearAlgebra.NativeLoadError}); {LinearAlgebra.FastPathHint}, " +
                    "or set TANGENT_TESTS_MANAGED_ONLY=1 to run the managed backend alone");
        return null;
    }

    /// <summary>Debian's reference (netlib, gfortran-built) LAPACK, when installed: exercises the hidden-length ABI.</summary>
    public const string ReferenceLapack = "/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3";

    /// <summary>Debian's reference BLAS, listed first so its dgemm_/dsyrk_ win over the alternatives-selected one.</summary>
    public const string ReferenceBlas = "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3";
}
