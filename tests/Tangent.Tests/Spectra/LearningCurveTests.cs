using Tangent.Linalg;
using Tangent.Spectra;
using static Tangent.Tests.Dynamics.TestKernels;

namespace Tangent.Tests.Spectra;

/// <summary>The Bordelon–Canatar–Pehlevan learning-curve theory: its equation, its exact cases, and measurement.</summary>
public class LearningCurveTests
{
    private static readonly double[] PowerLaw = Enumerable.Range(1, 200).Select(k => Math.Pow(k, -1.5)).ToArray();
    private static readonly double[] Power = Enumerable.Range(1, 200).Select(k => Math.Pow(k, -1.2)).ToArray();

    [Theory]
    [InlineData(0.0, 10)]
    [InlineData(0.0, 150)]
    [InlineData(1e-3, 10)]
    [InlineData(0.3, 400)]
    public void KappaSolvesTheSelfConsistentEquation(double ridge, double n)
    {
        var theory = new LearningCurveTheory(PowerLaw, Power, ridge);
        double kappa = theory.SolveKappa(n);
        Assert.True(kappa > 0);
        double rhs = ridge + kappa * PowerLaw.Sum(eta => eta / (n * eta + kappa));
        Assert.Equal(kappa, rhs, kappa * 1e-12);
    }

    [Fact]
    public void OneModeHasAClosedForm()
    {
        // κ² + κ(nη − λ − η) − λnη = 0, and E = a² κ²/(nη + κ)² / (1 − γ), γ = nη²/(nη + κ)².
        const double eta = 0.7, a2 = 2.0, lambda = 0.4, n = 3;
        double b = n * eta - lambda - eta;
        double kappa = (-b + Math.Sqrt(b * b + 4 * lambda * n * eta)) / 2;
        double gamma = n * eta * eta / Math.Pow(n * eta + kappa, 2);
        double expected = a2 * kappa * kappa / Math.Pow(n * eta + kappa, 2) / (1 - gamma);
        var point = new LearningCurveTheory([eta], [a2], lambda).Predict(n);
        Assert.Equal(kappa, point.Kappa, 12);
        Assert.Equal(gamma, point.Gamma, 12);
        Assert.Equal(expected, point.TestError, 12);
    }

    [Fact]
    public void RidgelessWithMoreSamplesThanModesLearnsEverythingButZeroModes()
    {
        double[] eta = [1, 0.5, 0.25, 0];
        double[] power = [0.3, 0.2, 0.1, 0.05];
        var point = new LearningCurveTheory(eta, power).Predict(10);
        Assert.Equal(0, point.Kappa);
        Assert.Equal(0.3, point.Gamma, 12);                          // 3 learnable modes / 10 samples
        Assert.Equal(0.05 / (1 - 0.3), point.TestError, 12);          // the zero mode's power, amplified by 1/(1 − γ)
        // Error falls with n, and at n → 0⁺ it is the total power.
        var theory = new LearningCurveTheory(PowerLaw, Power, 1e-4);
        double previous = double.PositiveInfinity;
        foreach (double samples in new[] { 1.0, 3, 10, 30, 100 })
        {
            double e = theory.Predict(samples).TestError;
            Assert.True(e < previous);
            previous = e;
        }
        Assert.Equal(Power.Sum(), theory.Predict(1e-9).TestError, 6);
    }

    [Fact]
    public void TheoryPredictsMeasuredLearningCurves()
    {
        const int M = 400, D = 20;
        // A kernel on M = 400 Gaussian points in 20 dimensions taken as the data distribution; kernel regression on
        // n ≤ M/10 random points. The theory is asymptotic (many modes, high-dimensional data, n ≪ M so that drawing
        // without replacement is like sampling the distribution) and the measured mean of 40 draws carries about 3%
        // sampling error, so 10% is the agreement to expect; the error itself falls about 4x over these sizes.
        // (On 4-dimensional data the same kernel is off by 20% at n = 40: low dimension breaks the theory's premise.)
        var (k, _, _) = Blocks(M, 1, D, seed: 131);
        var x = Gaussian(M, 1, seed: 132);
        var y = new Matrix<double>(M, 1);
        var spectrum = KernelSpectrum.Compute(k);
        // A target spread over the modes like a smooth function: power ∝ λ.
        for (int m = 0; m < M; m++)
            for (int i = 0; i < M; i++) y.Data[i] += Math.Sqrt(Math.Max(spectrum.Eigenvalues[m], 0)) * x.Data[m] * spectrum.Eigenvector(i, m);
        const double ridge = 1e-3;
        var theory = LearningCurveTheory.FromKernel(spectrum, TargetProjection.Compute(spectrum, y), ridge);
        int[] sizes = [5, 10, 20, 40];
        var measured = EmpiricalLearningCurve.Measure(k, y, sizes, trials: 40, ridge: ridge, seed: 7);
        for (int i = 0; i < sizes.Length; i++)
        {
            double predicted = theory.Predict(sizes[i]).TestError;
            Assert.InRange(measured[i].TestError / predicted, 0.9, 1.1);
        }
    }
}
