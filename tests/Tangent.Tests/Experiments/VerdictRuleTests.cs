using Tangent.Experiments;

namespace Tangent.Tests.Experiments;

/// <summary>The statistics and the decision rule, on per-seed values whose answer is known.</summary>
public class VerdictRuleTests
{
    [Fact]
    public void IntervalIsStudentT()
    {
        // Values 1, 2, 3: mean 2, sd 1, se 1/√3, t(0.975, 2) = 4.302653 (tables).
        var i = SeedInterval.Of([1.0, 2.0, 3.0]);
        Assert.Equal(2, i.Mean, 12);
        Assert.Equal(1, i.StandardDeviation, 12);
        Assert.Equal(1 / Math.Sqrt(3), i.StandardError, 12);
        Assert.Equal(2 - 4.302653 / Math.Sqrt(3), i.Low, 5);
        Assert.Equal(2 + 4.302653 / Math.Sqrt(3), i.High, 5);
        // A 90 % interval is narrower: t(0.95, 2) = 2.919986.
        Assert.Equal(2 + 2.919986 / Math.Sqrt(3), SeedInterval.Of([1.0, 2.0, 3.0], 0.90).High, 5);
        Assert.True(double.IsNaN(SeedInterval.Of([5.0]).Low));
    }

    private static Dictionary<string, double[]> Values(double[] network, double[] linearised, double[] ntk, double[] nngp) => new()
    {
        ["network"] = network, ["linearised"] = linearised, ["ntk"] = ntk, ["nngp"] = nngp,
    };

    [Fact]
    public void ClearWinOverEveryModelNeedsFeatureLearning()
    {
        var v = VerdictRule.Decide(FalsifierMetric.TestAccuracy,
            Values([0.99, 1.0, 0.98], [0.70, 0.72, 0.69], [0.75, 0.74, 0.76], [0.80, 0.79, 0.82]), higherIsBetter: true, margin: 0.02);
        Assert.Equal(Verdict.NeedsFeatureLearning, v.Verdict);
        var ntk = v.Comparisons.Single(c => c.Model == "ntk");
        Assert.Equal((0.99 + 1.0 + 0.98 - 0.75 - 0.74 - 0.76) / 3, ntk.Difference.Mean, 12);
        Assert.True(ntk.EffectSize > 10);
    }

    [Fact]
    public void AgreementWithinTheMarginIsExplainedByTheKernel()
    {
        // Lower is better; the network is within ±0.01 of the NTK on every seed.
        var v = VerdictRule.Decide(FalsifierMetric.TestLoss,
            Values([0.100, 0.120, 0.110], [0.13, 0.15, 0.12], [0.105, 0.118, 0.112], [0.2, 0.2, 0.2]), higherIsBetter: false, margin: 0.05);
        Assert.Equal(Verdict.ExplainedByKernel, v.Verdict);
        // Signed so that positive means the network is better: the NTK's loss minus the network's.
        Assert.Equal((0.105 + 0.118 + 0.112 - 0.100 - 0.120 - 0.110) / 3, v.Comparisons.Single(c => c.Model == "ntk").Difference.Mean, 12);
    }

    [Fact]
    public void WideIntervalsAreInconclusive()
    {
        var v = VerdictRule.Decide(FalsifierMetric.TestAccuracy,
            Values([0.9, 0.6, 0.8], [0.7, 0.8, 0.6], [0.7, 0.8, 0.6], [0.7, 0.8, 0.6]), higherIsBetter: true, margin: 0.02);
        Assert.Equal(Verdict.Inconclusive, v.Verdict);
        Assert.Contains("more seeds", v.Reason);
    }

    [Fact]
    public void BeatingTheKernelButNotTheLinearisationIsInconclusive()
    {
        var v = VerdictRule.Decide(FalsifierMetric.TestAccuracy,
            Values([0.90, 0.91, 0.92], [0.90, 0.915, 0.91], [0.80, 0.81, 0.82], [0.80, 0.80, 0.81]), higherIsBetter: true, margin: 0.02);
        Assert.Equal(Verdict.Inconclusive, v.Verdict);
        Assert.Contains("linearisation", v.Reason);
    }

    [Fact]
    public void NetworkReliablyWorseThanTheKernelIsInconclusive()
    {
        var v = VerdictRule.Decide(FalsifierMetric.TestAccuracy,
            Values([0.60, 0.61, 0.62], [0.6, 0.6, 0.6], [0.90, 0.91, 0.90], [0.9, 0.9, 0.9]), higherIsBetter: true, margin: 0.02);
        Assert.Equal(Verdict.Inconclusive, v.Verdict);
        Assert.Contains("worse than the NTK", v.Reason);
    }

    [Fact]
    public void TheMarginDecidesEquivalence()
    {
        var values = Values([0.50, 0.52, 0.51], [0.4, 0.4, 0.4], [0.47, 0.49, 0.48], [0.4, 0.4, 0.4]);
        Assert.Equal(Verdict.ExplainedByKernel, VerdictRule.Decide(FalsifierMetric.TestAccuracy, values, true, margin: 0.10).Verdict);
        Assert.NotEqual(Verdict.ExplainedByKernel, VerdictRule.Decide(FalsifierMetric.TestAccuracy, values, true, margin: 0.01).Verdict);
    }
}
