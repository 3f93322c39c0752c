using Tangent.Experiments.Mup;
using Tangent.Networks;

namespace Tangent.Tests.Experiments;

/// <summary>Learning-rate transfer: the Done-means criteria on a small grid, and the bookkeeping behind the optimum.</summary>
public class MupTransferTests
{
    [Fact]
    public void MupOptimumStaysPutWhileTheStandardOneMoves()
    {
        // Widths 16..256 (a 16x range), a short run of Adam on digits.
        var result = LearningRateTransfer.Run(new TransferOptions
        {
            Widths = [16, 64, 256], Steps = 30, Batch = 32, Seeds = 2, Threads = 2, Log2LearningRates = Enumerable.Range(-11, 13).Select(k => (double)k).ToArray(),
        });
        double mup = result.Shift(NetworkParameterization.Mup), sp = result.Shift(NetworkParameterization.Standard);
        string optima = string.Join("; ", result.Sweeps.Select(s => $"{MupNames.Short(s.Parameterization)} {s.Width}: {s.BestLog2LearningRate}"));
        Assert.True(mup <= 1, $"muP optimum moved by {mup} ({optima})");
        Assert.True(sp >= 2 || result.SmallWidthBestDivergesAtLargest(NetworkParameterization.Standard) == true, $"SP optimum moved by {sp} ({optima})");
        // The grid brackets every optimum: none sits at the grid's edge, where the true optimum could lie outside.
        Assert.All(result.Sweeps, s => Assert.InRange(s.BestLog2LearningRate, -10, 0));
    }

    [Fact]
    public void BestIsTheLowestFiniteLoss()
    {
        double[] grid = [-3, -2, -1, 0];
        Assert.Equal(-1, LearningRateTransfer.Best(grid, [0.9, 0.5, 0.2, double.PositiveInfinity]));
        Assert.Equal(-3, LearningRateTransfer.Best(grid, [0.1, 0.1, 0.3, 0.4]));
        Assert.True(double.IsNaN(LearningRateTransfer.Best(grid, [double.PositiveInfinity, double.NaN, double.PositiveInfinity, double.PositiveInfinity])));
    }

    [Fact]
    public void ShiftAndDivergenceFollowTheSweeps()
    {
        var options = new TransferOptions { Widths = [8, 128], Log2LearningRates = [-3, -2, -1] };
        var sweeps = new List<TransferSweep>
        {
            new(NetworkParameterization.Standard, 8, 2.3, [1.0, 0.5, 0.8], [false, false, false], -2),
            new(NetworkParameterization.Standard, 128, 2.3, [0.4, double.PositiveInfinity, double.PositiveInfinity], [false, true, true], -3),
            new(NetworkParameterization.Mup, 8, 2.3, [1.0, 0.5, 0.8], [false, false, false], -2),
            new(NetworkParameterization.Mup, 128, 2.3, [0.9, 0.4, 0.7], [false, false, false], -2),
        };
        var result = new TransferResult(options, sweeps, 0, "dense", Tangent.Training.LossKind.CrossEntropy);
        Assert.Equal(1, result.Shift(NetworkParameterization.Standard));
        Assert.Equal(0, result.Shift(NetworkParameterization.Mup));
        Assert.True(result.SmallWidthBestDivergesAtLargest(NetworkParameterization.Standard));
        Assert.False(result.SmallWidthBestDivergesAtLargest(NetworkParameterization.Mup));
    }

    [Fact]
    public void SameNumbersWithOneAndTwoThreads()
    {
        var options = new TransferOptions { Widths = [8, 24], Steps = 4, Batch = 16, Seeds = 1, Log2LearningRates = [-6, -3] };
        var one = LearningRateTransfer.Run(options with { Threads = 1 });
        var two = LearningRateTransfer.Run(options with { Threads = 2 });
        for (int i = 0; i < one.Sweeps.Count; i++)
        {
            Assert.Equal(one.Sweeps[i].InitialLoss, two.Sweeps[i].InitialLoss);
            Assert.Equal(one.Sweeps[i].FinalLoss, two.Sweeps[i].FinalLoss);
        }
        Assert.All(one.Sweeps, s => Assert.True(s.FinalLoss.All(double.IsFinite)));
    }
}
