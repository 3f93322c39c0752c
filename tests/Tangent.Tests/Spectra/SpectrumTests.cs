using Tangent.Dynamics;
using Tangent.Linalg;
using Tangent.Spectra;
using static Tangent.Tests.Dynamics.TestKernels;

namespace Tangent.Tests.Spectra;

/// <summary>Spectrum, projections, effective ranks and the convergence bound.</summary>
public class SpectrumTests
{
    [Fact]
    public void EigenpairsAreLargestFirstAndReconstructTheKernel()
    {
        var (k, _, _) = Blocks(12, 1, 3, seed: 101);
        var s = KernelSpectrum.Compute(k);
        for (int i = 1; i < s.Size; i++) Assert.True(s.Eigenvalues[i] <= s.Eigenvalues[i - 1]);
        var rebuilt = new Matrix<double>(12, 12);
        for (int m = 0; m < 12; m++)
            for (int i = 0; i < 12; i++)
                for (int j = 0; j < 12; j++)
                    rebuilt[i, j] += s.Eigenvalues[m] * s.Eigenvector(i, m) * s.Eigenvector(j, m);
        Assert.True(Conformance.RelativeError(rebuilt.Data, k.Data) < 1e-13);
        double trace = 0;
        for (int i = 0; i < 12; i++) trace += k[i, i];
        Assert.Equal(trace, s.Trace, 10);
    }

    [Theory]
    [InlineData(new double[] { 1, 1, 1, 1 }, 4.0, 4.0)]
    [InlineData(new double[] { 5, 0, 0 }, 1.0, 1.0)]
    [InlineData(new double[] { 2, 1, 1 }, 16.0 / 6, 2.8284271247461903)]    // entropy rank: exp(−½ln½ − 2·¼ln¼) = 2^1.5
    public void EffectiveRanksOfKnownSpectra(double[] eigenvalues, double participation, double entropy)
    {
        int n = eigenvalues.Length;
        var k = new Matrix<double>(n, n);
        for (int i = 0; i < n; i++) k[i, i] = eigenvalues[i];
        var s = KernelSpectrum.Compute(k);
        Assert.Equal(participation, s.ParticipationRatio, 12);
        Assert.Equal(entropy, s.EntropyEffectiveRank, 12);
    }

    [Fact]
    public void ProjectionsKeepTheTargetsPower()
    {
        var (k, _, _) = Blocks(10, 1, 2, seed: 102);
        var y = Gaussian(10, 3, seed: 103);
        var p = TargetProjection.Compute(KernelSpectrum.Compute(k), y);
        double norm = y.Data.Sum(v => v * v);
        Assert.Equal(norm, p.TotalPower, 10);
        Assert.Equal(1.0, p.CumulativePowerFraction[^1], 12);
        for (int i = 1; i < 10; i++) Assert.True(p.CumulativePowerFraction[i] >= p.CumulativePowerFraction[i - 1]);
    }

    [Fact]
    public void DuEtAlBoundHoldsAndIsTightOnTheSlowestMode()
    {
        var (k, _, _) = Blocks(15, 1, 3, seed: 104);
        var s = KernelSpectrum.Compute(k);
        const double eta = 4;
        var bound = ConvergenceBound.From(s, eta, outputs: 1);
        double[] times = [0.5, 5, 50, 500];
        // A generic residual decays at least as fast as the bound says …
        var y = Gaussian(15, 1, seed: 105);
        var p = new GradientDescentMse(k, y, eta).Predict(TrainingTimes.Continuous(times));
        double r0 = y.Data.Sum(v => v * v);
        for (int j = 0; j < times.Length; j++)
        {
            double rt = 0;
            var slice = p.Train.Slice(j);
            for (int i = 0; i < 15; i++) rt += (slice[i] - y.Data[i]) * (slice[i] - y.Data[i]);
            Assert.True(rt <= Math.Exp(-bound.FlowRate * times[j]) * r0 * (1 + 1e-12), $"t = {times[j]}");
        }
        // … and a residual along the smallest mode decays exactly at that rate.
        var slow = new Matrix<double>(15, 1);
        for (int i = 0; i < 15; i++) slow[i, 0] = s.Eigenvector(i, 14);
        var q = new GradientDescentMse(k, slow, eta).Predict(TrainingTimes.Continuous(times));
        for (int j = 0; j < times.Length; j++)
        {
            double rt = 0;
            var slice = q.Train.Slice(j);
            for (int i = 0; i < 15; i++) rt += (slice[i] - slow.Data[i]) * (slice[i] - slow.Data[i]);
            Assert.Equal(Math.Exp(-bound.FlowRate * times[j]), rt, 9);
        }
        // Steps: per-step contraction.
        double stepEta = 0.5 * new GradientDescentMse(k, y).MaxLearningRate();
        var stepBound = ConvergenceBound.From(s, stepEta, 1);
        Assert.True(stepBound.StepContraction < 1);
        var d = new GradientDescentMse(k, y, stepEta).Predict(TrainingTimes.Steps([10]));
        double r10 = 0;
        for (int i = 0; i < 15; i++) r10 += (d.Train.Data[i] - y.Data[i]) * (d.Train.Data[i] - y.Data[i]);
        Assert.True(Math.Sqrt(r10) <= Math.Pow(stepBound.StepContraction, 10) * Math.Sqrt(r0) * (1 + 1e-12));
    }
}
