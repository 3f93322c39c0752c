using Tangent.Dynamics;
using Tangent.Dynamics.Losses;
using Tangent.Dynamics.Ode;
using Tangent.Kernels;
using Tangent.Linalg;
using static Tangent.Tests.Dynamics.TestKernels;

namespace Tangent.Tests.Dynamics;

/// <summary>The Dormand–Prince solver, and function-space gradient flow on MSE and cross-entropy.</summary>
public class OdeTests
{
    [Fact]
    public void HarmonicOscillatorToTolerance()
    {
        // y'' = −y: exact solution (cos t, −sin t). Tightening the tolerance 1000x must shrink the error at least 100x.
        double Error(double rtol)
        {
            var times = new[] { 1.0, 10.0, 20.0 };
            var output = new double[6];
            DormandPrince45.Solve((t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; }, [1.0, 0.0], 0, times, output,
                new OdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = rtol * 1e-3 });
            double err = 0;
            for (int j = 0; j < 3; j++)
                err = Math.Max(err, Math.Max(Math.Abs(output[2 * j] - Math.Cos(times[j])), Math.Abs(output[2 * j + 1] + Math.Sin(times[j]))));
            return err;
        }
        double loose = Error(1e-6), tight = Error(1e-9);
        Assert.True(loose < 1e-4, $"loose error {loose:e2}");
        Assert.True(tight < 1e-7, $"tight error {tight:e2}");
        Assert.True(loose / tight > 100, $"error control: {loose:e2} vs {tight:e2}");
    }

    [Fact]
    public void OutputsInAnyOrderIncludingTheStart()
    {
        var output = new double[4];
        DormandPrince45.Solve((t, y, dy) => dy[0] = -y[0], [2.0], 0, [3.0, 0.0, 1.0, 3.0], output);
        Assert.Equal(2.0, output[1]);
        Assert.Equal(2 * Math.Exp(-3), output[0], 9);
        Assert.Equal(2 * Math.Exp(-1), output[2], 9);
        Assert.Equal(output[0], output[3]);
    }

    [Fact]
    public void StepLimitGivesAClearMessage()
    {
        var output = new double[1];
        var e = Assert.Throws<KernelRequestException>(() =>
            DormandPrince45.Solve((t, y, dy) => dy[0] = -1e6 * y[0], [1.0], 0, [100.0], output, new OdeOptions { MaxSteps = 1000 }));
        Assert.Contains("stiff", e.Message);
    }

    [Theory]
    [MemberData(nameof(BackendScope.Both), MemberType = typeof(BackendScope))]
    public void MseFlowAgreesWithTheClosedForm(BackendKind backend)
    {
        using var _ = BackendScope.Use(backend);
        var (k, ktd, _) = Blocks(20, 7, 4, seed: 31);
        var y = Gaussian(20, 3, seed: 32);
        var f0 = Gaussian(20, 3, seed: 33, scale: 0.5);
        var g0 = Gaussian(7, 3, seed: 34, scale: 0.5);
        double[] times = [0, 0.3, 2, 25, 200];
        const double eta = 3.0;
        var closed = new GradientDescentMse(k, y, eta).Predict(TrainingTimes.Continuous(times), f0, ktd, g0);
        var flow = new FunctionSpaceGradientFlow(k, y, MeanSquaredErrorLoss.Instance, eta);
        var ode = flow.Predict(times, f0, ktd, g0, new OdeOptions { RelativeTolerance = 1e-11, AbsoluteTolerance = 1e-13 });
        double trainErr = Conformance.RelativeError(ode.Train.Data, closed.Train.Data);
        double testErr = Conformance.RelativeError(ode.Test!.Data, closed.Test!.Data);
        Assert.True(trainErr < 1e-7, $"train: {trainErr:e2}");
        Assert.True(testErr < 1e-7, $"test: {testErr:e2}");
        Assert.True(flow.LastStatistics!.AcceptedSteps > 10);
    }

    // Classical fourth-order Runge–Kutta with a fixed small step: an independent integrator for the same flow.
    private static double[] ExplicitIntegration(Matrix<double> k, Matrix<double> ktd, Matrix<double> y, Matrix<double> f0, IFunctionSpaceLoss loss, double eta, double tEnd, int steps)
    {
        int n = k.Rows, o = y.Cols, m = ktd.Rows, dim = (n + m) * o;
        var state = new double[dim];
        f0.Data.CopyTo(state, 0);
        void F(double[] s, double[] ds)
        {
            var g = new Matrix<double>(n, o);
            loss.Gradient(s.AsSpan(0, n * o), y.Data, o, g.Data);
            var kg = Multiply(k, g); var tg = Multiply(ktd, g);
            for (int i = 0; i < n * o; i++) ds[i] = -eta * kg.Data[i];
            for (int i = 0; i < m * o; i++) ds[n * o + i] = -eta * tg.Data[i];
        }
        double h = tEnd / steps;
        double[] k1 = new double[dim], k2 = new double[dim], k3 = new double[dim], k4 = new double[dim], tmp = new double[dim];
        for (int s = 0; s < steps; s++)
        {
            F(state, k1);
            for (int i = 0; i < dim; i++) tmp[i] = state[i] + 0.5 * h * k1[i];
            F(tmp, k2);
            for (int i = 0; i < dim; i++) tmp[i] = state[i] + 0.5 * h * k2[i];
            F(tmp, k3);
            for (int i = 0; i < dim; i++) tmp[i] = state[i] + h * k3[i];
            F(tmp, k4);
            for (int i = 0; i < dim; i++) state[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
        return state;
    }

    [Fact]
    public void CrossEntropyFlowAgreesWithExplicitSmallStepIntegration()
    {
        var (k, ktd, _) = Blocks(12, 5, 3, seed: 41);
        var y = OneHot(12, 4, seed: 42);
        var f0 = Gaussian(12, 4, seed: 43, scale: 0.3);
        const double eta = 5.0, tEnd = 6.0;
        var flow = new FunctionSpaceGradientFlow(k, y, SoftmaxCrossEntropyLoss.Instance, eta);
        var ode = flow.Predict([tEnd], f0, ktd, null, new OdeOptions { RelativeTolerance = 1e-11, AbsoluteTolerance = 1e-13 });
        var reference = ExplicitIntegration(k, ktd, y, f0, SoftmaxCrossEntropyLoss.Instance, eta, tEnd, steps: 3000);
        double trainErr = Conformance.RelativeError(ode.Train.Data, reference.AsSpan(0, 48));
        double testErr = Conformance.RelativeError(ode.Test!.Data, reference.AsSpan(48));
        Assert.True(trainErr < 1e-8, $"train: {trainErr:e2}");
        Assert.True(testErr < 1e-8, $"test: {testErr:e2}");
        // Training lowered the loss and moved the outputs.
        var loss = SoftmaxCrossEntropyLoss.Instance;
        Assert.True(loss.Value(ode.Train.Data, y.Data, 4) < 0.5 * loss.Value(f0.Data, y.Data, 4));
    }

    [Fact]
    public void CrossEntropyGradientMatchesFiniteDifferences()
    {
        var f = Gaussian(3, 5, seed: 51, scale: 3).Data;
        var y = new double[15];
        y[2] = 1; y[5] = 0.3; y[9] = 0.7; y[14] = 1;
        var loss = SoftmaxCrossEntropyLoss.Instance;
        var g = new double[15];
        loss.Gradient(f, y, 5, g);
        for (int i = 0; i < 15; i++)
        {
            double h = 1e-6, saved = f[i];
            f[i] = saved + h; double up = loss.Value(f, y, 5);
            f[i] = saved - h; double down = loss.Value(f, y, 5);
            f[i] = saved;
            Assert.Equal((up - down) / (2 * h), g[i], 8);
        }
        // Huge logits: no overflow.
        var big = new double[] { 1000, -1000, 0 };
        loss.Gradient(big, [0, 1, 0], 3, g.AsSpan(0, 3));
        Assert.True(double.IsFinite(loss.Value(big, [0, 1, 0], 3)) && g.Take(3).All(double.IsFinite));
    }

    [Fact]
    public void AnyLossWithItsGradient()
    {
        // L = ½ mean (f − y)² given as delegates reproduces the built-in MSE (and so the closed form).
        var (k, ktd, _) = Blocks(10, 3, 2, seed: 61);
        var y = Gaussian(10, 2, seed: 62);
        var custom = new DelegateLoss("half-mse",
            (f, t, o) => { double s = 0; for (int i = 0; i < f.Length; i++) s += (f[i] - t[i]) * (f[i] - t[i]); return 0.5 * s / f.Length; },
            (f, t, o, g) => { for (int i = 0; i < f.Length; i++) g[i] = (f[i] - t[i]) / f.Length; });
        var ode = new FunctionSpaceGradientFlow(k, y, custom).Predict([4.0], null, ktd, null, new OdeOptions { RelativeTolerance = 1e-11, AbsoluteTolerance = 1e-13 });
        var closed = new GradientDescentMse(k, y).Predict(TrainingTimes.Continuous(4.0), null, ktd);
        Assert.True(Conformance.RelativeError(ode.Test!.Data, closed.Test!.Data) < 1e-7);
    }

    [Fact]
    public void InfiniteTimeIsRefusedForTheOde()
    {
        var (k, _, _) = Blocks(4, 1, 2, seed: 71);
        var e = Assert.Throws<KernelRequestException>(() =>
            new FunctionSpaceGradientFlow(k, OneHot(4, 2, 72), SoftmaxCrossEntropyLoss.Instance).Predict([double.PositiveInfinity]));
        Assert.Contains("infinity", e.Message);
    }
}
