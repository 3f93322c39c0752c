using Tangent.Experiments.Mup;
using Tangent.Networks;

namespace Tangent.Tests.Experiments;

/// <summary>The coordinate check's Done-means criteria at small widths, its fits, and its independence of the thread count.</summary>
public class MupCoordCheckTests
{
    [Fact]
    public void StandardReadoutGrowsWithWidthWhileEveryMupLayerStaysFlat()
    {
        // Widths 32..256 instead of 64..4096; eight seeds steady the small-width averages.
        var result = CoordCheck.Run(new CoordCheckOptions { Widths = [32, 64, 128, 256], Steps = 5, Batch = 64, Seeds = 8, Threads = 2 });
        Assert.Equal(4, result.Panels.Count);
        foreach (var panel in result.Panels)
        {
            Assert.All(panel.ChangeFits, f => Assert.NotNull(f));
            string where = $"{MupNames.Short(panel.Parameterization)} {MupNames.Short(panel.Optimizer)}";
            if (panel.Parameterization == NetworkParameterization.Standard)
                Assert.True(panel.ChangeFits[^1]!.Slope >= 0.3, $"{where}: readout slope {panel.ChangeFits[^1]!.Slope:0.000}");
            else
                for (int l = 0; l < result.Layers.Count; l++)
                    Assert.True(Math.Abs(panel.ChangeFits[l]!.Slope) <= 0.1, $"{where}: {result.Layers[l]} slope {panel.ChangeFits[l]!.Slope:0.000}");
        }
        // Under SP the input layer's change shrinks with width (its gradient comes through 1/√n readout weights): the
        // check sees the difference between the layers, not one trend for all.
        var spSgd = result.Panels.Single(p => p.Parameterization == NetworkParameterization.Standard && p.Optimizer == OptimizerKind.Sgd);
        Assert.True(spSgd.ChangeFits[0]!.Slope < -0.3, $"SP SGD input layer slope {spSgd.ChangeFits[0]!.Slope:0.000}");
    }

    [Fact]
    public void SameNumbersWithOneAndTwoThreads()
    {
        var options = new CoordCheckOptions { Widths = [16, 48], Steps = 2, Batch = 16, Seeds = 2 };
        var one = CoordCheck.Run(options with { Threads = 1 });
        var two = CoordCheck.Run(options with { Threads = 2 });
        for (int c = 0; c < one.Panels.Count; c++)
            for (int t = 0; t <= options.Steps; t++)
                for (int w = 0; w < options.Widths.Count; w++)
                {
                    Assert.Equal(one.Panels[c].Size[t][w], two.Panels[c].Size[t][w]);
                    Assert.Equal(one.Panels[c].Change[t][w], two.Panels[c].Change[t][w]);
                }
        Assert.True(one.Panels[0].Change[options.Steps][0].All(v => v > 0));
    }

    [Fact]
    public void FitsRecoverAPowerOfTheWidthAndSkipZeros()
    {
        int[] widths = [64, 128, 256, 512];
        var values = widths.Select(w => new[] { 3 * Math.Pow(w, 0.5), 0.2 * Math.Pow(w, -1), 0.0 }).ToArray();
        var fits = CoordCheck.Fits(widths, values);
        Assert.Equal(0.5, fits[0]!.Slope, 12);
        Assert.Equal(-1, fits[1]!.Slope, 12);
        Assert.Null(fits[2]);
    }

    [Fact]
    public void RejectsBadSettings()
    {
        Assert.Throws<ArgumentException>(() => CoordCheck.Run(new CoordCheckOptions { Widths = [64] }));
        Assert.Throws<ArgumentException>(() => CoordCheck.Run(new CoordCheckOptions { Widths = [8, 16], Steps = 0 }));
        Assert.Throws<ArgumentException>(() => CoordCheck.Run(new CoordCheckOptions { Widths = [8, 16], SgdLearningRate = -1 }));
        Assert.Throws<ArgumentException>(() => CoordCheck.Run(new CoordCheckOptions { Widths = [8, 16], Architecture = "dense > relu > dense(n=3)" }));
    }
}
