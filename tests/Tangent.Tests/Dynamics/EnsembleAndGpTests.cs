using Tangent.Dynamics;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using static Tangent.Tests.Dynamics.PredictFixture;

namespace Tangent.Tests.Dynamics;

/// <summary>Ensembles from an architecture, GP posterior inference and their relations.</summary>
public class EnsembleAndGpTests
{
    private static Architecture Spec(System.Text.Json.JsonElement c) => Architecture.Parse(c.GetProperty("spec").GetRawText());

    [Fact]
    public void NngpPosteriorIsTheInfiniteTimeNngpEnsemble()
    {
        var c = Single("gradient_descent_mse_ensemble");
        var gp = new GaussianProcessPosterior(M(c, "nngp_train_train"), M(c, "y_train"));
        var expected = c.GetProperty("results").GetProperty("nngp_tNone");
        AssertClose(gp.Mean(M(c, "nngp_test_train")).Data, Flat(expected.GetProperty("mean")), Tolerance, "mean");
        AssertClose(gp.Covariance(M(c, "nngp_test_train"), M(c, "nngp_test_test")).Data, Flat(expected.GetProperty("cov")), Tolerance, "cov");
    }

    [Fact]
    public void PosteriorFromTheArchitectureIsTheNngpEnsembleAtInfinity()
    {
        var c = Single("gradient_descent_mse_ensemble");
        var ensemble = new ArchitectureEnsemble(Spec(c), M(c, "x_train"), M(c, "y_train"));
        var gp = ensemble.Posterior(KernelKind.Nngp);
        var mean = gp.Mean(ensemble.TestTrainKernel(KernelKind.Nngp, M(c, "x_test")));
        AssertClose(mean.Data, Flat(c.GetProperty("results").GetProperty("nngp_tNone").GetProperty("mean")), Tolerance, "mean");
        // The NTK-GP (NTK as prior covariance) is a different model: its mean is the NTK ensemble's, its covariance not.
        var ntkMean = ensemble.Posterior(KernelKind.Ntk).Mean(ensemble.TestTrainKernel(KernelKind.Ntk, M(c, "x_test")));
        AssertClose(ntkMean.Data, Flat(c.GetProperty("results").GetProperty("ntk_tNone").GetProperty("mean")), Tolerance, "NTK-GP mean");
    }

    [Fact]
    public void LogMarginalLikelihoodMatchesTheDefinition()
    {
        var (k, _, _) = TestKernels.Blocks(7, 1, 3, seed: 81);
        var y = TestKernels.Gaussian(7, 2, seed: 82);
        var gp = new GaussianProcessPosterior(k, y, DiagonalRegularization.Absolute(0.05));
        // Direct: through the eigendecomposition of K + 0.05 I.
        var basis = KernelEigenbasis.Compute(DiagonalRegularization.Absolute(0.05).AppliedTo(k));
        var p = basis.ToEigenbasis(y);
        double fit = 0, logDet = 0;
        for (int i = 0; i < 7; i++)
        {
            logDet += Math.Log(basis.Eigenvalues[i]);
            for (int o = 0; o < 2; o++) fit += p[i, o] * p[i, o] / basis.Eigenvalues[i];
        }
        double expected = -0.5 * fit - logDet - 7 * Math.Log(2 * Math.PI);
        Assert.Equal(expected, gp.LogMarginalLikelihood(), 10);
        Assert.Equal(0.05, gp.NoiseVariance);
    }

    [Fact]
    public void EnsembleFromArchitectureMatchesNeuralTangents()
    {
        var c = Single("gradient_descent_mse_ensemble");
        var ensemble = new ArchitectureEnsemble(Spec(c), M(c, "x_train"), M(c, "y_train"));
        foreach (var key in EnsembleKeys().Select(k => (string)k[0]))
        {
            var (kind, t) = ParseKey(key);
            var p = ensemble.Predict(kind, TrainingTimes.Continuous(t), M(c, "x_test"), covariance: true);
            var expected = c.GetProperty("results").GetProperty(key);
            AssertClose(p.Mean.Slice(0), Flat(expected.GetProperty("mean")), Tolerance, $"{key} mean");
            AssertClose(p.Covariance!.Slice(0), Flat(expected.GetProperty("cov")), Tolerance, $"{key} cov");
        }
    }

    [Fact]
    public void EnsembleOnTheTrainingSetInterpolatesAtInfinity()
    {
        var c = Single("gradient_descent_mse_ensemble");
        var ensemble = new ArchitectureEnsemble(Spec(c), M(c, "x_train"), M(c, "y_train"));
        var p = ensemble.Predict(KernelKind.Ntk, TrainingTimes.Continuous(0, double.PositiveInfinity), null, covariance: true);
        Assert.All(p.Mean.Slice(0).ToArray(), v => Assert.Equal(0, v));
        Assert.True(Conformance.RelativeError(p.Mean.Slice(1), M(c, "y_train").Data) < 1e-9);
        // Prior covariance at t = 0, (near) zero posterior variance on the training points at ∞.
        Assert.True(Conformance.RelativeError(p.Covariance!.Slice(0), M(c, "nngp_train_train").Data) < 1e-9);
        double maxVar = 0;
        for (int i = 0; i < 8; i++) maxVar = Math.Max(maxVar, Math.Abs(p.Covariance.Slice(1)[i * 8 + i]));
        Assert.True(maxVar < 1e-8, $"residual variance {maxVar:e2}");
    }

    [Fact]
    public void EnsembleMeanIsTheMseFlowFromZero()
    {
        // The ensemble mean under the NTK is gradient_descent_mse with f₀ = 0 on the same kernels.
        var c = Single("gradient_descent_mse_ensemble");
        var times = TrainingTimes.Continuous(0.7, 5, double.PositiveInfinity);
        var ensemble = new InfiniteEnsemble(KernelPair(c, "train_train"), M(c, "y_train"), 2.0);
        var mean = ensemble.Predict(KernelKind.Ntk, times, KernelPair(c, "test_train")).Mean;
        var flow = new GradientDescentMse(M(c, "ntk_train_train"), M(c, "y_train"), 2.0).Predict(times, null, M(c, "ntk_test_train")).Test!;
        Assert.True(Conformance.RelativeError(mean.Data, flow.Data) < 1e-12);
    }
}
