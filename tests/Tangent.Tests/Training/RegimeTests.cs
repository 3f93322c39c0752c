using Tangent.Experiments;
using Tangent.Networks;
using Tangent.Training;

namespace Tangent.Tests.Training;

/// <summary>
/// The physics the trainer must reproduce, at small sizes: in NTK parameterisation the network approaches its
/// linearisation and its kernel stops moving as width grows; in μP the kernel keeps moving; a small output scale α moves
/// the kernel more than a large one.
/// </summary>
public class RegimeTests
{
    private static TrainingRecord Final(NetworkParameterization p, int width, double? alpha = null, ulong seed = 0) =>
        TrainingRun.Run(new TrainingRunConfig
        {
            Task = "teacher", Width = width, Parameterization = p, Seed = seed, Alpha = alpha,
            TrainCount = 32, TestCount = 16, ProbeCount = 16, ObserveSteps = [],
            Trainer = new TrainerOptions { LearningRate = 0.5, Steps = 60 },
        }).Final;

    private static double MeanOverSeeds(Func<ulong, double> f) => Enumerable.Range(0, 3).Average(s => f((ulong)s));

    [Fact]
    public void Ntk_parameterisation_goes_lazy_with_width()
    {
        var narrow = Enumerable.Range(0, 3).Select(s => Final(NetworkParameterization.Ntk, 16, seed: (ulong)s)).ToList();
        var wide = Enumerable.Range(0, 3).Select(s => Final(NetworkParameterization.Ntk, 512, seed: (ulong)s)).ToList();
        // Width ×32: 1/√n would give ×5.7 less; demand at least ×2.5 for each measure.
        Assert.True(narrow.Average(r => r.KernelChange) > 2.5 * wide.Average(r => r.KernelChange), $"kernel change {narrow.Average(r => r.KernelChange)} -> {wide.Average(r => r.KernelChange)}");
        Assert.True(narrow.Average(r => r.ParamChange) > 2.5 * wide.Average(r => r.ParamChange), $"param change {narrow.Average(r => r.ParamChange)} -> {wide.Average(r => r.ParamChange)}");
        Assert.True(narrow.Average(r => r.OutputGap) > 2.5 * wide.Average(r => r.OutputGap), $"|f - f_lin| {narrow.Average(r => r.OutputGap)} -> {wide.Average(r => r.OutputGap)}");
    }

    [Fact]
    public void Mup_keeps_moving_its_kernel_at_any_width()
    {
        double narrow = MeanOverSeeds(s => Final(NetworkParameterization.Mup, 16, seed: s).KernelChange);
        double wide = MeanOverSeeds(s => Final(NetworkParameterization.Mup, 512, seed: s).KernelChange);
        Assert.True(wide > 0.5 * narrow && wide > 0.1, $"μP kernel change {narrow} at width 16, {wide} at width 512");
    }

    [Fact]
    public void Small_output_scale_is_rich_and_large_is_lazy()
    {
        var rich = Final(NetworkParameterization.Ntk, 64, alpha: 0.05);
        var lazy = Final(NetworkParameterization.Ntk, 64, alpha: 20);
        Assert.True(rich.KernelChange > 30 * lazy.KernelChange, $"kernel change {rich.KernelChange} at α = 0.05, {lazy.KernelChange} at α = 20");
        Assert.True(Math.Abs(rich.TestLoss - rich.LinTestLoss) > 10 * Math.Abs(lazy.TestLoss - lazy.LinTestLoss),
            $"test loss gap {rich.TestLoss - rich.LinTestLoss} (α = 0.05) vs {lazy.TestLoss - lazy.LinTestLoss} (α = 20)");
    }

    [Fact]
    public void Digits_trains_with_ten_outputs_and_cross_entropy()
    {
        var run = TrainingRun.Run(new TrainingRunConfig
        {
            Task = "digits", Width = 32, TrainCount = 100, TestCount = 50, ProbeCount = 10, Loss = LossKind.CrossEntropy,
            Trainer = new TrainerOptions { Optimizer = TrainingOptimizer.Adam, LearningRate = 0.01, BatchSize = 25, Steps = 40 },
        });
        Assert.Equal(10, run.Records[0].KernelEigenvalues.Length);
        Assert.True(run.Final.TrainAccuracy > 0.6 && run.Final.TrainLoss < run.Records[0].TrainLoss, $"train accuracy {run.Final.TrainAccuracy}, loss {run.Records[0].TrainLoss} -> {run.Final.TrainLoss}");
    }
}
