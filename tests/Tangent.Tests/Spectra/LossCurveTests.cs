using Tangent.Dynamics;
using Tangent.Linalg;
using Tangent.Spectra;
using static Tangent.Tests.Dynamics.TestKernels;

namespace Tangent.Tests.Spectra;

/// <summary>The spectral loss curves against the closed-form predictor they summarise.</summary>
public class LossCurveTests
{
    private static double Mse(ReadOnlySpan<double> f, double[] y)
    {
        double s = 0;
        for (int i = 0; i < f.Length; i++) s += (f[i] - y[i]) * (f[i] - y[i]);
        return s / f.Length;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.05)]
    public void TrainAndTestErrorsMatchThePredictor(double regularization)
    {
        var (k, ktd, _) = Blocks(16, 6, 3, seed: 121);
        var y = Gaussian(16, 2, seed: 122);
        var yTest = Gaussian(6, 2, seed: 123);
        const double eta = 2.5;
        var spectrum = KernelSpectrum.Compute(k);
        var targets = TargetProjection.Compute(spectrum, y);
        var times = LossCurves.DefaultTimes(spectrum, eta, 2, count: 9, shift: regularization).Append(double.PositiveInfinity).ToArray();
        var predictor = new GradientDescentMse(k, y, eta, DiagonalRegularization.Absolute(regularization));
        var p = predictor.Predict(TrainingTimes.Continuous(times), null, ktd);
        var train = LossCurves.TrainError(spectrum, targets, times, eta, regularization);
        var test = LossCurves.TestError(spectrum, targets, times, eta, ktd, yTest, regularization);
        for (int j = 0; j < times.Length; j++)
        {
            Assert.Equal(Mse(p.Train.Slice(j), y.Data), train[j], 10);
            Assert.Equal(Mse(p.Test!.Slice(j), yTest.Data), test[j], 10);
        }
        Assert.True(train[0] > train[^2], "the training error falls");
    }

    [Fact]
    public void ResidualPerModeIsTheProjectedResidual()
    {
        var (k, _, _) = Blocks(10, 1, 2, seed: 124);
        var y = Gaussian(10, 1, seed: 125);
        var spectrum = KernelSpectrum.Compute(k);
        var targets = TargetProjection.Compute(spectrum, y);
        double[] times = [0.1, 3, 30];
        int[] modes = [0, 4, 9];
        var r = LossCurves.ResidualPerMode(spectrum, targets, times, 1.0, modes);
        var p = new GradientDescentMse(k, y).Predict(TrainingTimes.Continuous(times));
        for (int j = 0; j < times.Length; j++)
        {
            var residual = new Matrix<double>(10, 1);
            for (int i = 0; i < 10; i++) residual.Data[i] = p.Train.Slice(j)[i] - y.Data[i];
            var projected = spectrum.Project(residual);
            for (int q = 0; q < modes.Length; q++)
                Assert.Equal(Math.Abs(projected[modes[q], 0]), r[j, q], 10);
        }
    }
}
