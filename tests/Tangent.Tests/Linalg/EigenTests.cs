using Xunit;
using Tangent.Linalg;

namespace Tangent.Tests.Linalg;

public class EigenTests
{
    public static TheoryData<BackendKind, int> Sizes()
    {
        var data = new TheoryData<BackendKind, int>();
        foreach (var kind in new[] { BackendKind.Native, BackendKind.Managed })
            foreach (var n in new[] { 1, 2, 5, 64, 131 })
                data.Add(kind, n);
        return data;
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Distinct_spectrum_is_recovered_with_orthonormal_vectors(BackendKind kind, int n)
    {
        if (Backends.Get(kind) is not { } be) return;
        var rng = new Random(1000 + n);
        var lambda = new double[n];
        for (int i = 0; i < n; i++) lambda[i] = 8 * rng.NextDouble() - 3;
        FactorizationChecks.EigenDecomposes(be, lambda, seed: n);
    }

    [Theory, MemberData(nameof(Backends.Kinds), MemberType = typeof(Backends))]
    public void Repeated_eigenvalues_still_give_an_orthonormal_basis(BackendKind kind)
    {
        // Kernel matrices have clusters of (near-)equal eigenvalues; the eigenvectors of a cluster are only defined as
        // a subspace, and the algorithm must still return an orthonormal basis of it.
        if (Backends.Get(kind) is not { } be) return;
        double[] lambda = [.. Enumerable.Repeat(2.0, 20), .. Enumerable.Repeat(-1.0, 15), .. Enumerable.Repeat(0.0, 10), 5, 7];
        FactorizationChecks.EigenDecomposes(be, lambda, seed: 3);
    }

    [Theory, MemberData(nameof(Backends.Kinds), MemberType = typeof(Backends))]
    public void Two_by_two_by_hand(BackendKind kind)
    {
        if (Backends.Get(kind) is not { } be) return;
        // [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, -1)/sqrt2 and (1, 1)/sqrt2, up to sign.
        double[] a = [2, 1, double.NaN, 2];
        var w = new double[2];
        be.SymmetricEigen(2, a, w);
        Assert.Equal(1.0, w[0], 14);
        Assert.Equal(3.0, w[1], 14);
        double s = Math.Sqrt(0.5);
        Assert.Equal(s, Math.Abs(a[0 * 2 + 0]), 14);                // column 0 = +-(1, -1)/sqrt2
        Assert.Equal(-a[0 * 2 + 0], a[1 * 2 + 0], 14);
        Assert.Equal(s, Math.Abs(a[0 * 2 + 1]), 14);                // column 1 = +-(1, 1)/sqrt2
        Assert.Equal(a[0 * 2 + 1], a[1 * 2 + 1], 14);
    }

    [Theory, MemberData(nameof(Backends.Kinds), MemberType = typeof(Backends))]
    public void Non_finite_input_and_bad_sizes_are_rejected(BackendKind kind)
    {
        if (Backends.Get(kind) is not { } be) return;
        Assert.Throws<ArgumentException>(() => be.SymmetricEigen(2, [1.0, double.NaN, 0, 1], new double[2]));
        Assert.Throws<ArgumentException>(() => be.SymmetricEigen(2, [double.PositiveInfinity, 0, 0, 1], new double[2]));
        Assert.Throws<ArgumentException>(() => be.SymmetricEigen(3, new double[9], new double[2]));
        Assert.Throws<ArgumentException>(() => be.SymmetricEigen(3, new double[8], new double[3]));
        be.SymmetricEigen(0, [], []);
    }
}
