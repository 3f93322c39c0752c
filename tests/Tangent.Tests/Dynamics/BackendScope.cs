using Tangent.Linalg;
using Tangent.Tests.Linalg;

namespace Tangent.Tests.Dynamics;

/// <summary>Runs a test body on one linear-algebra backend (native fails loudly when absent, as in Linalg's tests).</summary>
public static class BackendScope
{
    public static IDisposable Use(BackendKind kind) =>
        Backends.Get(kind) is null ? new Nothing() : LinearAlgebra.Use(kind);

    private sealed class Nothing : IDisposable { public void Dispose() { } }

    public static TheoryData<BackendKind> Both => Backends.Kinds;
}
