using Xunit;
using Tangent.Linalg;

namespace Tangent.Tests.Linalg;

public class MatrixTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(70)]   // more than one 32-wide tile, ragged last tile
    public void MirrorUpperToLower_copies_the_upper_triangle_and_keeps_it(int n)
    {
        var m = new Matrix<double>(n, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                m[i, j] = j >= i ? i * 1000 + j : double.NaN;
        m.MirrorUpperToLower();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(Math.Min(i, j) * 1000 + Math.Max(i, j), m[i, j]);
    }

    [Fact]
    public void MirrorUpperToLower_refuses_a_rectangle() =>
        Assert.Throws<InvalidOperationException>(() => new Matrix<float>(2, 3).MirrorUpperToLower());

    [Fact]
    public void SyrkUpper_then_mirror_gives_the_full_Gram_matrix()
    {
        var rng = new Random(4);
        int n = 45, k = 13;
        var x = Reference.Random(rng, n, k);
        var g = new Matrix<double>(n, n);
        LinearAlgebra.Current.SyrkUpper(n, k, 1.0, x, g.Data);
        g.MirrorUpperToLower();
        var (expect, mag) = Reference.Gemm(n, n, k, 1.0, (i, p) => x[i * k + p], (p, j) => x[j * k + p], 0, null);
        Reference.AssertClose(g.Data, expect, mag, k, Reference.EpsDouble);
    }
}
