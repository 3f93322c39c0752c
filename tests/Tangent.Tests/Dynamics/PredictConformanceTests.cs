using Tangent.Dynamics;
using Tangent.Linalg;
using static Tangent.Tests.Dynamics.PredictFixture;

namespace Tangent.Tests.Dynamics;

/// <summary>Every case of predict.json through the library, on both linear-algebra backends.</summary>
public class PredictConformanceTests
{
    public static IEnumerable<object[]> MseCases() =>
        MseCaseIndices().SelectMany(c => new[] { new object[] { c[0], BackendKind.Native }, new object[] { c[0], BackendKind.Managed } });

    [Theory]
    [MemberData(nameof(MseCases))]
    public void GradientDescentMseMatchesNeuralTangents(int index, BackendKind backend)
    {
        using var _ = BackendScope.Use(backend);
        var c = Case(index);
        var predictor = new GradientDescentMse(M(c, "k_train_train"), M(c, "y_train"), c.GetProperty("learning_rate").GetDouble(),
            DiagonalRegularization.Relative(c.GetProperty("diag_reg").GetDouble()));
        var times = Times(c).Append(double.PositiveInfinity).ToArray();
        var p = predictor.Predict(TrainingTimes.Continuous(times), M(c, "fx_train_0"), M(c, "k_test_train"), M(c, "fx_test_0"));
        int finite = times.Length - 1;
        var train = p.Train.Data.AsSpan(0, finite * p.Train.Rows * p.Train.Cols);
        var test = p.Test!.Data.AsSpan(0, finite * p.Test.Rows * p.Test.Cols);
        AssertClose(train, Flat(c.GetProperty("fx_train_t")), Tolerance, "fx_train_t");
        AssertClose(test, Flat(c.GetProperty("fx_test_t")), Tolerance, "fx_test_t");
        AssertClose(p.Train.Slice(finite), Flat(c.GetProperty("fx_train_inf")), Tolerance, "fx_train_inf");
        AssertClose(p.Test.Slice(finite), Flat(c.GetProperty("fx_test_inf")), Tolerance, "fx_test_inf");
    }

    [Theory]
    [MemberData(nameof(EnsembleKeys), MemberType = typeof(PredictFixture))]
    public void EnsembleMatchesNeuralTangents(string key)
    {
        var c = Single("gradient_descent_mse_ensemble");
        var (kind, t) = ParseKey(key);
        var ensemble = new InfiniteEnsemble(KernelPair(c, "train_train"), M(c, "y_train"), 1.0, DiagonalRegularization.Relative(c.GetProperty("diag_reg").GetDouble()));
        var p = ensemble.Predict(kind, TrainingTimes.Continuous(t), KernelPair(c, "test_train"), M(c, "nngp_test_test"));
        var expected = c.GetProperty("results").GetProperty(key);
        AssertClose(p.Mean.Slice(0), Flat(expected.GetProperty("mean")), Tolerance, $"{key} mean");
        AssertClose(p.Covariance!.Slice(0), Flat(expected.GetProperty("cov")), Tolerance, $"{key} cov");
    }

    [Fact]
    public void MaxLearningRateMatchesNeuralTangents()
    {
        var c = Single("max_learning_rate");
        double lr = MaxLearningRate.Compute(M(c, "ntk_train_train"), c.GetProperty("y_train_size").GetInt32());
        double expected = c.GetProperty("max_learning_rate").GetDouble();
        Assert.True(Math.Abs(lr - expected) <= Tolerance * expected, $"max learning rate {lr:R} vs {expected:R}");
    }
}
