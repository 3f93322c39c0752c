using Xunit;
using Tangent.Linalg;

namespace Tangent.Tests.Linalg;

/// <summary>
/// Native loading and backend selection. Each case resolves its own <see cref="BackendSelection"/>, so the process-wide
/// choice behind <see cref="LinearAlgebra.Current"/> is never disturbed.
/// </summary>
public class LoaderTests
{
    [Fact]
    public void TANGENT_BLAS_naming_a_missing_file_falls_back_to_managed_with_the_reason()
    {
        const string path = "/nonexistent/dir/libblas-does-not-exist.so";
        var selection = BackendSelection.Resolve(path);
        Assert.Null(selection.Native);
        Assert.Equal(BackendKind.Managed, selection.Default.Kind);
        Assert.NotNull(selection.NativeLoadError);
        Assert.Contains("TANGENT_BLAS", selection.NativeLoadError);
        Assert.Contains(path, selection.NativeLoadError);
    }

    [Fact]
    public void TANGENT_BLAS_naming_a_library_without_BLAS_falls_back_and_names_the_missing_symbols()
    {
        if (!OperatingSystem.IsLinux()) return;
        var selection = BackendSelection.Resolve("libm.so.6");   // a real library, but no dgemm_ in it
        Assert.Null(selection.Native);
        Assert.Equal(BackendKind.Managed, selection.Default.Kind);
        Assert.Contains("dgemm_", selection.NativeLoadError);
        Assert.Contains("dsyevd_", selection.NativeLoadError);
    }

    [Fact]
    public void Native_backend_is_loaded_on_this_machine()
    {
        if (Backends.ManagedOnly) return;
        Assert.True(LinearAlgebra.Native is not null, $"native BLAS did not load: {LinearAlgebra.NativeLoadError}");
        Assert.Null(LinearAlgebra.NativeLoadError);
        Assert.Equal(BackendKind.Native, LinearAlgebra.Native!.Kind);
        Assert.False(string.IsNullOrWhiteSpace(LinearAlgebra.Native.Name));
        Assert.Same(LinearAlgebra.Native, LinearAlgebra.Current);
        Assert.Null(NativeSelfTest.Run(LinearAlgebra.Native));
    }

    [Fact]
    public void OpenBLAS_thread_timeout_is_set_in_the_native_environment_before_loading()
    {
        if (!OperatingSystem.IsLinux() || LinearAlgebra.Native is null) return;
        // .NET's own view is the environment the process started with: if the user did not set it, we must have.
        var userValue = Environment.GetEnvironmentVariable("OPENBLAS_THREAD_TIMEOUT");
        Assert.Equal(userValue ?? "4", LibC.GetEnv("OPENBLAS_THREAD_TIMEOUT"));
    }

    [Fact]
    public void Use_overrides_Current_in_a_nested_scope_and_restores_it()
    {
        var before = LinearAlgebra.Current;
        using (LinearAlgebra.Use(BackendKind.Managed))
        {
            Assert.Same(LinearAlgebra.Managed, LinearAlgebra.Current);
            // The override follows the work into other threads started inside the scope.
            var seen = new ILinearAlgebraBackend[4];
            Parallel.For(0, seen.Length, i => seen[i] = LinearAlgebra.Current);
            Assert.All(seen, b => Assert.Same(LinearAlgebra.Managed, b));
            if (LinearAlgebra.Native is { } native)
            {
                using (LinearAlgebra.Use(BackendKind.Native)) Assert.Same(native, LinearAlgebra.Current);
                Assert.Same(LinearAlgebra.Managed, LinearAlgebra.Current);
            }
        }
        Assert.Same(before, LinearAlgebra.Current);
    }

    [Fact]
    public void Use_native_without_a_native_library_throws_with_the_hint()
    {
        if (LinearAlgebra.Native is not null) return;          // only meaningful where loading failed
        var e = Assert.Throws<InvalidOperationException>(() => LinearAlgebra.Use(BackendKind.Native));
        Assert.Contains(LinearAlgebra.FastPathHint, e.Message);
    }

    [Fact]
    public void Hint_and_thread_setting()
    {
        Assert.Contains("TANGENT_BLAS", LinearAlgebra.FastPathHint);
        Assert.DoesNotContain('\n', LinearAlgebra.FastPathHint);
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearAlgebra.SetNativeThreads(0));
        LinearAlgebra.SetNativeThreads(Environment.ProcessorCount);  // no-op or real call; must not throw
    }

    [Fact]
    public void Managed_backend_describes_itself()
    {
        Assert.Equal(BackendKind.Managed, LinearAlgebra.Managed.Kind);
        Assert.StartsWith("managed (MathNet.Numerics 5.0", LinearAlgebra.Managed.Name);
    }
}

/// <summary>
/// The same numerical checks through Debian's reference LAPACK (netlib, gfortran-built) loaded via TANGENT_BLAS.
/// Its routines take the hidden CHARACTER length arguments seriously, which OpenBLAS's C routines do not, so this is
/// where an ABI slip would show. Skipped (returns) where the package is not installed.
/// </summary>
public class ReferenceLapackTests
{
    private static readonly Lazy<BackendSelection?> s_reference = new(() =>
        File.Exists(Backends.ReferenceLapack) && File.Exists(Backends.ReferenceBlas)
            ? BackendSelection.Resolve(Backends.ReferenceBlas + Path.PathSeparator + Backends.ReferenceLapack)
            : null);

    private static ILinearAlgebraBackend? Reference()
    {
        var selection = s_reference.Value;
        if (selection is null) return null;
        Assert.True(selection.Native is not null, $"reference LAPACK did not load: {selection.NativeLoadError}");
        return selection.Native;
    }

    [Fact]
    public void Loads_and_reports_both_files()
    {
        if (Reference() is not { } be) return;
        Assert.Contains("lapack/liblapack.so.3", be.Name);
    }

    [Fact]
    public void Cholesky_and_solve()
    {
        if (Reference() is not { } be) return;
        FactorizationChecks.CholeskyReconstructs(be, 67, seed: 1);
        FactorizationChecks.CholeskySolveResidual(be, 67, 1, seed: 2);
        FactorizationChecks.CholeskySolveResidual(be, 67, 5, seed: 3);
        Assert.False(be.TryCholesky(2, [1.0, 0, 3, 1]));
    }

    [Fact]
    public void Eigen()
    {
        if (Reference() is not { } be) return;
        var rng = new Random(9);
        var lambda = Enumerable.Range(0, 90).Select(_ => rng.NextDouble() * 4 - 1).ToArray();
        FactorizationChecks.EigenDecomposes(be, lambda, seed: 4);
    }

    [Fact]
    public void Products()
    {
        if (Reference() is not { } be) return;
        var rng = new Random(11);
        int m = 23, n = 17, k = 29;
        double[] a = Tests.Linalg.Reference.Random(rng, m, k), b = Tests.Linalg.Reference.Random(rng, n, k);
        var c = new double[m * n];
        be.GemmNT(m, n, k, 1.0, a, b, 0.0, c);
        var (expect, mag) = Tests.Linalg.Reference.Gemm(m, n, k, 1.0, (i, p) => a[i * k + p], (p, j) => b[j * k + p], 0, null);
        Tests.Linalg.Reference.AssertClose(c, expect, mag, k, Tests.Linalg.Reference.EpsDouble);

        var s = new double[m * m];
        be.SyrkUpper(m, k, 1.0, a, s);
        (expect, mag) = Tests.Linalg.Reference.Gemm(m, m, k, 1.0, (i, p) => a[i * k + p], (p, j) => a[j * k + p], 0, null);
        Tests.Linalg.Reference.AssertClose(s, expect, mag, k, Tests.Linalg.Reference.EpsDouble, idx => idx % m >= idx / m);
    }
}
