using Tangent.Dynamics;
using Tangent.Kernels;
using Tangent.Linalg;
using static Tangent.Tests.Dynamics.TestKernels;

namespace Tangent.Tests.Dynamics;

/// <summary>Discrete gradient descent (finite learning rate, momentum) against explicit iteration of the updates.</summary>
public class DiscreteStepsTests
{
    // The function-space form of θ_{k+1} = θ_k − η ∇L + μ (θ_k − θ_{k−1}) for a linear model with kernel K:
    // Δf(X) = −(η/(N·O)) K (f_k(X) − y) + μ Δf_{k−1}, and the same with K(x*, X) for test points.
    private static (Matrix<double> Train, Matrix<double> Test) Iterate(Matrix<double> k, Matrix<double> ktd, Matrix<double> y,
        Matrix<double> f0, Matrix<double> g0, double eta, double mu, int steps)
    {
        int n = k.Rows, o = y.Cols;
        double a = eta / (n * o);
        var f = f0.Clone(); var g = g0.Clone();
        var df = new Matrix<double>(n, o); var dg = new Matrix<double>(ktd.Rows, o);
        for (int s = 0; s < steps; s++)
        {
            var r = new Matrix<double>(n, o);
            for (int i = 0; i < r.Data.Length; i++) r.Data[i] = f.Data[i] - y.Data[i];
            var kr = Multiply(k, r); var ktr = Multiply(ktd, r);
            for (int i = 0; i < df.Data.Length; i++) { df.Data[i] = -a * kr.Data[i] + mu * df.Data[i]; f.Data[i] += df.Data[i]; }
            for (int i = 0; i < dg.Data.Length; i++) { dg.Data[i] = -a * ktr.Data[i] + mu * dg.Data[i]; g.Data[i] += dg.Data[i]; }
        }
        return (f, g);
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(0.0, 1.9)]      // just below the stability limit: oscillating modes
    [InlineData(0.9, 0.5)]
    [InlineData(0.5, 2.5)]      // momentum allows more than 2 N·O/λ_max
    public void StepsMatchExplicitIteration(double momentum, double fractionOfPlainLimit)
    {
        var (k, ktd, _) = Blocks(12, 5, 3, seed: 1);
        var y = Gaussian(12, 2, seed: 2);
        var f0 = Gaussian(12, 2, seed: 3, scale: 0.1);
        var g0 = Gaussian(5, 2, seed: 4, scale: 0.1);
        double plainLimit = new GradientDescentMse(k, y).MaxLearningRate();
        double eta = fractionOfPlainLimit * plainLimit / 2;
        var predictor = new GradientDescentMse(k, y, eta);
        int[] steps = [0, 1, 7, 40, 200];
        var p = predictor.Predict(TrainingTimes.Steps(steps.Select(s => (double)s).ToArray(), momentum), f0, ktd, g0);
        for (int j = 0; j < steps.Length; j++)
        {
            var (train, test) = Iterate(k, ktd, y, f0, g0, eta, momentum, steps[j]);
            Assert.True(Conformance.RelativeError(p.Train.Slice(j), train.Data) < 1e-10, $"train after {steps[j]} steps: {Conformance.RelativeError(p.Train.Slice(j), train.Data):e2}");
            Assert.True(Conformance.RelativeError(p.Test!.Slice(j), test.Data) < 1e-10, $"test after {steps[j]} steps: {Conformance.RelativeError(p.Test.Slice(j), test.Data):e2}");
        }
    }

    [Fact]
    public void SmallStepsApproachGradientFlow()
    {
        // k steps of size η approximate the flow at t = k η with an O(η) error: halving η halves the gap.
        var (k, ktd, _) = Blocks(10, 4, 3, seed: 5);
        var y = Gaussian(10, 1, seed: 6);
        double t = 30;
        double Gap(int steps)
        {
            var flow = new GradientDescentMse(k, y).Predict(TrainingTimes.Continuous(t), null, ktd).Test!.Data;
            var discrete = new GradientDescentMse(k, y, t / steps).Predict(TrainingTimes.Steps([steps]), null, ktd).Test!.Data;
            return Conformance.RelativeError(discrete, flow);
        }
        double g1 = Gap(400), g2 = Gap(800);
        Assert.InRange(g1 / g2, 1.8, 2.2);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.6)]
    public void MaxLearningRateSeparatesConvergenceFromDivergence(double momentum)
    {
        var (k, ktd, _) = Blocks(10, 3, 2, seed: 7);
        var y = Gaussian(10, 3, seed: 8);
        double limit = new GradientDescentMse(k, y).MaxLearningRate(momentum);
        double Residual(double eta, int steps)
        {
            var p = new GradientDescentMse(k, y, eta).Predict(TrainingTimes.Steps([steps], momentum));
            double s = 0;
            for (int i = 0; i < y.Data.Length; i++) s = Math.Max(s, Math.Abs(p.Train.Data[i] - y.Data[i]));
            return s;
        }
        Assert.True(Residual(0.97 * limit, 3000) < Residual(0.97 * limit, 1000), "below the limit the residual shrinks");
        Assert.True(Residual(1.03 * limit, 3000) > Residual(1.03 * limit, 1000), "above the limit it grows");
    }

    [Fact]
    public void InfiniteStepsNeedAStableLearningRate()
    {
        var (k, _, _) = Blocks(8, 1, 2, seed: 9);
        var y = Gaussian(8, 1, seed: 10);
        double limit = new GradientDescentMse(k, y).MaxLearningRate();
        var ok = new GradientDescentMse(k, y, 0.9 * limit).Predict(TrainingTimes.Steps([double.PositiveInfinity]));
        Assert.Equal(y.Data, ok.Train.Slice(0).ToArray());
        var e = Assert.Throws<KernelRequestException>(() => new GradientDescentMse(k, y, 1.1 * limit).Predict(TrainingTimes.Steps([double.PositiveInfinity])));
        Assert.Contains("diverges", e.Message);
        Assert.Contains("learning rate", e.Message);
    }

    [Fact]
    public void FractionalStepsAndBadMomentumAreRejected()
    {
        Assert.Throws<KernelRequestException>(() => TrainingTimes.Steps([1.5]));
        Assert.Throws<KernelRequestException>(() => TrainingTimes.Steps([1], momentum: 1.0));
        Assert.Throws<KernelRequestException>(() => TrainingTimes.Continuous(-1));
        Assert.Throws<KernelRequestException>(() => TrainingTimes.Continuous(double.NaN));
    }
}
