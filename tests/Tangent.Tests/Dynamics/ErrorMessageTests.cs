using Tangent.Dynamics;
using Tangent.Kernels;
using Tangent.Linalg;
using static Tangent.Tests.Dynamics.TestKernels;

namespace Tangent.Tests.Dynamics;

/// <summary>Kernels that cannot be used get a message that says what to do, never NaN.</summary>
public class ErrorMessageTests
{
    // Rank 2: the Gram matrix of 6 points in the plane.
    private static Matrix<double> Singular()
    {
        var x = Gaussian(6, 2, seed: 91);
        var k = new Matrix<double>(6, 6);
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) k[i, j] = x[i, 0] * x[j, 0] + x[i, 1] * x[j, 1];
        return k;
    }

    [Fact]
    public void SingularKernelAtInfinitySuggestsRegularisation()
    {
        var k = Singular();
        var y = Gaussian(6, 1, seed: 92);
        var e = Assert.Throws<KernelRequestException>(() => new GradientDescentMse(k, y).Predict(TrainingTimes.Continuous(double.PositiveInfinity), null, k));
        Assert.Contains("not positive definite", e.Message);
        Assert.Contains("--diag-reg", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        // Finite times are well defined on a singular kernel.
        var p = new GradientDescentMse(k, y).Predict(TrainingTimes.Continuous(1, 100), null, k);
        Assert.All(p.Test!.Data, v => Assert.True(double.IsFinite(v)));
        // And regularisation fixes infinity.
        var fixedUp = new GradientDescentMse(k, y, 1, DiagonalRegularization.Relative(1e-6)).Predict(TrainingTimes.Continuous(double.PositiveInfinity), null, k);
        Assert.All(fixedUp.Test!.Data, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void IndefiniteKernelIsRefusedWithTheRegularisationThatWouldHelp()
    {
        var k = Singular();
        for (int i = 0; i < 6; i++) k[i, i] -= 0.01;       // eigenvalues −0.01 in four directions
        var y = Gaussian(6, 1, seed: 93);
        var e = Assert.Throws<KernelRequestException>(() => new GradientDescentMse(k, y).Predict(TrainingTimes.Continuous(1)));
        Assert.Contains("not positive semi-definite", e.Message);
        Assert.Contains("--diag-reg", e.Message);
        Assert.Contains("-0.01", e.Message);
        Assert.Throws<KernelRequestException>(() => new GradientDescentMse(k, y).Predict(TrainingTimes.Continuous(double.PositiveInfinity)));
        Assert.Throws<KernelRequestException>(() => new GaussianProcessPosterior(k, y));
    }

    [Fact]
    public void NaNAsymmetryAndShapeMismatchAreNamed()
    {
        var (k, ktd, _) = Blocks(5, 2, 2, seed: 94);
        var y = Gaussian(5, 1, seed: 95);
        var nan = k.Clone(); nan[1, 3] = double.NaN;
        Assert.Contains("NaN", Assert.Throws<KernelRequestException>(() => new GradientDescentMse(nan, y)).Message);
        var asym = k.Clone(); asym[0, 4] += 0.1;
        Assert.Contains("not symmetric", Assert.Throws<KernelRequestException>(() => new GradientDescentMse(asym, y)).Message);
        Assert.Contains("targets", Assert.Throws<KernelRequestException>(() => new GradientDescentMse(k, Gaussian(4, 1, 1))).Message);
        Assert.Contains("test-train", Assert.Throws<KernelRequestException>(() => new GradientDescentMse(k, y).Predict(TrainingTimes.Continuous(1), null, Gaussian(2, 4, 1))).Message);
        Assert.Contains("square", Assert.Throws<KernelRequestException>(() => new GradientDescentMse(ktd, y)).Message);
    }
}
