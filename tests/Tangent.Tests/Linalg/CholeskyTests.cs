using Xunit;
using Tangent.Linalg;

namespace Tangent.Tests.Linalg;

public class CholeskyTests
{
    public static TheoryData<BackendKind, int> Sizes()
    {
        var data = new TheoryData<BackendKind, int>();
        foreach (var kind in new[] { BackendKind.Native, BackendKind.Managed })
            foreach (var n in new[] { 1, 2, 37, 150 })
                data.Add(kind, n);
        return data;
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Factor_reconstructs_A_and_reads_only_the_lower_triangle(BackendKind kind, int n)
    {
        if (Backends.Get(kind) is { } be) FactorizationChecks.CholeskyReconstructs(be, n, seed: n);
    }

    [Theory]
    [InlineData(BackendKind.Native, 1)]
    [InlineData(BackendKind.Native, 3)]
    [InlineData(BackendKind.Native, 8)]
    [InlineData(BackendKind.Managed, 1)]
    [InlineData(BackendKind.Managed, 3)]
    [InlineData(BackendKind.Managed, 8)]
    public void Solve_has_backward_stable_residual(BackendKind kind, int nrhs)
    {
        if (Backends.Get(kind) is { } be) FactorizationChecks.CholeskySolveResidual(be, 97, nrhs, seed: nrhs);
    }

    [Theory, MemberData(nameof(Backends.Kinds), MemberType = typeof(Backends))]
    public void Indefinite_semidefinite_and_NaN_matrices_are_refused(BackendKind kind)
    {
        if (Backends.Get(kind) is not { } be) return;
        var rng = new Random(5);
        // Indefinite: one negative eigenvalue hidden among positive ones by a random orthogonal similarity.
        double[] lambda = [3, 2.5, 1, 0.5, -0.25, 4, 2, 1.5, 0.75, 1.25];
        Assert.False(be.TryCholesky(10, Reference.SymmetricWithSpectrum(rng, lambda)));
        // Singular positive semidefinite (rank 1), and a plain negative diagonal.
        Assert.False(be.TryCholesky(2, [1.0, 1, 1, 1]));
        Assert.False(be.TryCholesky(2, [-1.0, 0, 0, 1]));
        // NaN in the lower triangle, which is the part that is read.
        Assert.False(be.TryCholesky(2, [4.0, 0, double.NaN, 4]));
        // A tiny negative eigenvalue of a well-scaled matrix is not rounding noise to a factorisation.
        Assert.False(be.TryCholesky(10, Reference.SymmetricWithSpectrum(rng, [.. lambda[..4], -1e-3, .. lambda[5..]])));
    }

    [Theory, MemberData(nameof(Backends.Kinds), MemberType = typeof(Backends))]
    public void Small_case_by_hand(BackendKind kind)
    {
        if (Backends.Get(kind) is not { } be) return;
        // [[4, 2], [2, 10]] = L L^T with L = [[2, 0], [1, 3]]; solve for b = A [1, -1]^T = [2, -8].
        double[] a = [4, 2, 2, 10];
        Assert.True(be.TryCholesky(2, a));
        Assert.Equal([2.0, 0, 1, 3], a);
        double[] b = [2, -8];
        be.CholeskySolve(2, a, 1, b);
        Assert.Equal(1.0, b[0], 15);
        Assert.Equal(-1.0, b[1], 15);
    }

    [Theory, MemberData(nameof(Backends.Kinds), MemberType = typeof(Backends))]
    public void Empty_and_bad_arguments(BackendKind kind)
    {
        if (Backends.Get(kind) is not { } be) return;
        Assert.True(be.TryCholesky(0, []));
        be.CholeskySolve(0, [], 3, []);
        be.CholeskySolve(2, [1.0, 0, 0, 1], 0, []);
        Assert.Throws<ArgumentException>(() => be.TryCholesky(3, new double[8]));
        Assert.Throws<ArgumentException>(() => be.CholeskySolve(2, new double[4], 2, new double[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => be.CholeskySolve(2, new double[4], -1, new double[4]));
    }
}
