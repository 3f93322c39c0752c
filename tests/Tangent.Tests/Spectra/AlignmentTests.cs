using Tangent.Linalg;
using Tangent.Spectra;
using static Tangent.Tests.Dynamics.TestKernels;

namespace Tangent.Tests.Spectra;

/// <summary>Kernel–target alignment and centred kernel alignment against their definitions.</summary>
public class AlignmentTests
{
    private static double Inner(Matrix<double> a, Matrix<double> b) => a.Data.Zip(b.Data, (x, y) => x * y).Sum();

    private static Matrix<double> Outer(Matrix<double> y) => Multiply(y, y.Transpose());

    // H K H with H = I − 11ᵀ/n, by explicit products.
    private static Matrix<double> CenterNaive(Matrix<double> k)
    {
        int n = k.Rows;
        var h = new Matrix<double>(n, n);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) h[i, j] = (i == j ? 1 : 0) - 1.0 / n;
        return Multiply(Multiply(h, k), h);
    }

    [Fact]
    public void TargetAlignmentMatchesTheDefinition()
    {
        var (k, _, _) = Blocks(9, 1, 2, seed: 111);
        var y = Gaussian(9, 2, seed: 112);
        var yy = Outer(y);
        double expected = Inner(k, yy) / Math.Sqrt(Inner(k, k) * Inner(yy, yy));
        Assert.Equal(expected, KernelAlignment.WithTargets(k, y), 12);
        var kc = CenterNaive(k); var yyc = CenterNaive(yy);
        double centred = Inner(kc, yyc) / Math.Sqrt(Inner(kc, kc) * Inner(yyc, yyc));
        Assert.Equal(centred, KernelAlignment.CenteredWithTargets(k, y), 12);
        Assert.Equal(centred, KernelAlignment.Centered(k, yy), 12);
    }

    [Fact]
    public void CenteredAlignmentIsOneForItselfAndIgnoresScaleAndOffset()
    {
        var (k, _, _) = Blocks(10, 1, 3, seed: 113);
        var (other, _, _) = Blocks(10, 1, 3, seed: 114);
        Assert.Equal(1.0, KernelAlignment.Centered(k, k), 12);
        var shifted = k.Clone();
        for (int i = 0; i < shifted.Data.Length; i++) shifted.Data[i] = 3 * shifted.Data[i] + 7;     // 3K + 7·11ᵀ
        Assert.Equal(1.0, KernelAlignment.Centered(k, shifted), 12);
        double a = KernelAlignment.Centered(k, other);
        Assert.InRange(a, -1, 1);
        Assert.True(a < 0.999, "different points give a different kernel");
        var kc = CenterNaive(k); var oc = CenterNaive(other);
        Assert.Equal(Inner(kc, oc) / Math.Sqrt(Inner(kc, kc) * Inner(oc, oc)), a, 12);
    }
}
