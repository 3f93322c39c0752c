using Tangent.Experiments;

namespace Tangent.Tests.Experiments;

/// <summary>
/// The falsifier's two reference verdicts, end to end through the trainer, the linearised model and the analytic kernels,
/// at sizes small enough for CI: sparse parity needs feature learning; a linear teacher is explained by the kernel.
/// </summary>
public class FalsifierVerdictTests
{
    [Fact]
    public void SparseParityNeedsFeatureLearning()
    {
        // 2 of 30 coordinates at n = 200: a rotation-invariant kernel needs about d² = 900 examples for the degree-2
        // harmonic, a network that finds the two coordinates needs O(d).
        var e = new Experiment
        {
            Task = new TaskSpec { Name = "sparse-parity", Dim = 30, K = 2 },
            Width = 64, TrainSizes = [200], TestSize = 200, Seeds = 3,
            Training = new TrainingSpec { Steps = 150 },
        };
        var r = Falsifier.Run(e, BuiltInTasks.Create(e.Task), new TrainedArms());
        var v = r.Primary;
        Assert.Equal(FalsifierMetric.TestAccuracy, v.Metric);
        Assert.True(v.Verdict == Verdict.NeedsFeatureLearning, v.Reason);
        // The verdict's premise, checked directly: the network is near perfect and every frozen model far from it.
        Assert.True(v.Values[Falsifier.Network].Mean > 0.95, $"network {v.Values[Falsifier.Network].Mean}");
        foreach (var m in new[] { Falsifier.Linearised, Falsifier.Ntk, Falsifier.Nngp })
            Assert.True(v.Values[m].Mean < 0.85, $"{m} {v.Values[m].Mean}");
        Assert.All(v.Comparisons, c => Assert.True(c.Difference.Low > v.Margin, $"{c.Model}: {c.Difference}"));
    }

    [Fact]
    public void LinearTeacherIsExplainedByTheKernel()
    {
        var e = new Experiment
        {
            Task = new TaskSpec { Name = "teacher-poly", Dim = 8, Degree = 1 },
            Width = 128, TrainSizes = [30, 60], TestSize = 200, Seeds = 3,
            Training = new TrainingSpec { Steps = 200 },
        };
        var r = Falsifier.Run(e, BuiltInTasks.Create(e.Task), new TrainedArms());
        var v = r.Primary;
        Assert.Equal(FalsifierMetric.TestLoss, v.Metric);
        Assert.True(v.Verdict == Verdict.ExplainedByKernel, v.Reason);
        // Both learned the linear target: relative test MSE far below 1 (1 = predicting the mean).
        Assert.True(v.Values[Falsifier.Network].Mean < 0.05, $"network {v.Values[Falsifier.Network].Mean}");
        Assert.True(v.Values[Falsifier.Ntk].Mean < 0.05, $"ntk {v.Values[Falsifier.Ntk].Mean}");
        var ntk = v.Comparisons.Single(c => c.Model == Falsifier.Ntk).Difference;
        Assert.InRange(ntk.Low, -v.Margin, v.Margin);
        Assert.InRange(ntk.High, -v.Margin, v.Margin);
        // The sample-efficiency metric rides along and is decided on the same rule.
        Assert.Equal(FalsifierMetric.SampleEfficiency, r.Verdicts[1].Metric);
        Assert.Equal(2, r.RelativeMse[Falsifier.Network].GetLength(1));
    }

    [Fact]
    public void SameSeedsGiveTheSameResult()
    {
        var e = new Experiment
        {
            Task = new TaskSpec { Name = "teacher-poly", Dim = 4, Degree = 2 },
            Width = 32, TrainSizes = [20], TestSize = 50, Seeds = 2, Linearised = false,
            Training = new TrainingSpec { Steps = 20 },
        };
        var task = BuiltInTasks.Create(e.Task);
        var a = Falsifier.Run(e, task, new TrainedArms());
        var b = Falsifier.Run(e, task, new TrainedArms());
        foreach (var m in a.Models)
            Assert.Equal(a.RelativeMse[m].Cast<double>(), b.RelativeMse[m].Cast<double>());
        Assert.Equal([Falsifier.Network, Falsifier.Ntk, Falsifier.Nngp], a.Models);
    }
}
