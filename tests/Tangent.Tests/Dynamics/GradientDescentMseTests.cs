using Tangent.Dynamics;
using Tangent.Kernels;
using Tangent.Linalg;
using static Tangent.Tests.Dynamics.TestKernels;

namespace Tangent.Tests.Dynamics;

/// <summary>Properties of the closed-form MSE predictor beyond the fixture.</summary>
public class GradientDescentMseTests
{
    [Theory]
    [MemberData(nameof(BackendScope.Both), MemberType = typeof(BackendScope))]
    public void ClosedFormSatisfiesTheFlowEquation(BackendKind backend)
    {
        // d f/dt = −(η/(N·O)) K (f − y), checked by a central difference of the closed form at t = 1.3.
        using var _ = BackendScope.Use(backend);
        var (k, ktd, _) = Blocks(15, 6, 4, seed: 11);
        var y = Gaussian(15, 3, seed: 12);
        var f0 = Gaussian(15, 3, seed: 13, scale: 0.3);
        const double eta = 2.0, t = 1.3, h = 1e-4;
        var p = new GradientDescentMse(k, y, eta).Predict(TrainingTimes.Continuous(t - h, t, t + h), f0, ktd);
        var f = p.Train.At(1);
        var r = new Matrix<double>(15, 3);
        for (int i = 0; i < r.Data.Length; i++) r.Data[i] = f.Data[i] - y.Data[i];
        var expected = Multiply(k, r);
        var expectedTest = Multiply(ktd, r);
        double a = eta / (15 * 3);
        var derivative = new double[45];
        var derivativeTest = new double[18];
        for (int i = 0; i < 45; i++) { derivative[i] = (p.Train.Slice(2)[i] - p.Train.Slice(0)[i]) / (2 * h); expected.Data[i] *= -a; }
        for (int i = 0; i < 18; i++) { derivativeTest[i] = (p.Test!.Slice(2)[i] - p.Test.Slice(0)[i]) / (2 * h); expectedTest.Data[i] *= -a; }
        Assert.True(Conformance.RelativeError(derivative, expected.Data) < 1e-6);
        Assert.True(Conformance.RelativeError(derivativeTest, expectedTest.Data) < 1e-6);
    }

    [Fact]
    public void TimeZeroGivesTheInitialOutputsAndLongTimesTheLimit()
    {
        var (k, ktd, _) = Blocks(10, 4, 3, seed: 14);
        var y = Gaussian(10, 2, seed: 15);
        var f0 = Gaussian(10, 2, seed: 16);
        var g0 = Gaussian(4, 2, seed: 17);
        var p = new GradientDescentMse(k, y).Predict(TrainingTimes.Continuous(0, 1e9, double.PositiveInfinity), f0, ktd, g0);
        Assert.True(Conformance.RelativeError(p.Train.Slice(0), f0.Data) < 1e-12);
        Assert.True(Conformance.RelativeError(p.Test!.Slice(0), g0.Data) < 1e-12);
        // t = 1e9 (eigenbasis) and t = ∞ (Cholesky) agree.
        Assert.True(Conformance.RelativeError(p.Test.Slice(1), p.Test.Slice(2)) < 1e-9);
        Assert.True(Conformance.RelativeError(p.Train.Slice(1), p.Train.Slice(2)) < 1e-9);
    }

    [Fact]
    public void OutputsAreTrainedIndependently()
    {
        var (k, ktd, _) = Blocks(9, 3, 2, seed: 18);
        var y = Gaussian(9, 3, seed: 19);
        var times = TrainingTimes.Continuous(0.5, 4, double.PositiveInfinity);
        var all = new GradientDescentMse(k, y).Predict(times, null, ktd);
        for (int o = 0; o < 3; o++)
        {
            var column = new Matrix<double>(9, 1);
            for (int i = 0; i < 9; i++) column[i, 0] = y[i, o];
            // One output alone has N·O = N targets, so the same dynamics need η / 3 for the same rate.
            var single = new GradientDescentMse(k, column, 1.0 / 3).Predict(times, null, ktd);
            for (int j = 0; j < 3; j++)
                for (int i = 0; i < 3; i++)
                    Assert.Equal(single.Test!.Slice(j)[i], all.Test!.Slice(j)[i * 3 + o], 10);
        }
    }

    [Fact]
    public void AbsoluteAndRelativeRegularisationAgreeWhenScaled()
    {
        var (k, ktd, _) = Blocks(8, 3, 2, seed: 20);
        var y = Gaussian(8, 1, seed: 21);
        double trace = 0;
        for (int i = 0; i < 8; i++) trace += k[i, i];
        var times = TrainingTimes.Continuous(2, double.PositiveInfinity);
        var relative = new GradientDescentMse(k, y, 1, DiagonalRegularization.Relative(0.1)).Predict(times, null, ktd);
        var absolute = new GradientDescentMse(k, y, 1, DiagonalRegularization.Absolute(0.1 * trace / 8)).Predict(times, null, ktd);
        Assert.True(Conformance.RelativeError(relative.Test!.Data, absolute.Test!.Data) < 1e-13);
        var none = new GradientDescentMse(k, y).Predict(times, null, ktd);
        Assert.True(Conformance.RelativeError(relative.Test.Data, none.Test!.Data) > 1e-3, "regularisation changes the answer");
    }

    [Fact]
    public void EigenbasisIsComputedOnceAcrossCalls()
    {
        var (k, ktd, _) = Blocks(8, 3, 2, seed: 22);
        var predictor = new GradientDescentMse(k, Gaussian(8, 1, seed: 23));
        predictor.Predict(TrainingTimes.Continuous(1), null, ktd);
        var basis = predictor.Eigenbasis;
        predictor.Predict(TrainingTimes.Continuous(2, 3), Gaussian(8, 1, seed: 24), ktd);
        Assert.Same(basis, predictor.Eigenbasis);
    }
}
