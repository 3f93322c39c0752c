using Tangent.Experiments.Mup;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Tests.Experiments;

/// <summary>The coordinate check's per-layer readings against the same quantities computed by hand.</summary>
public class LayerCoordinatesTests
{
    private static (FiniteNetwork<double> Net, Matrix<double> X) Small()
    {
        var net = FiniteNetwork<double>.Create(Architecture.Parse("dense(w=1.41,b=0.3,n=7) > relu > dense(w=1,n=3)"), TensorShape.Flat(5),
            new FiniteNetworkOptions { Parameterization = NetworkParameterization.Standard, Source = new SeededParameters(3) });
        var x = new Matrix<double>(4, 5);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = Math.Sin(1.7 * i + 0.2);
        return (net, x);
    }

    // The first layer by hand: h = W x + b (standard parameterisation: multipliers 1), W stored [fan_out, fan_in].
    private static double[] Hidden(FiniteNetwork<double> net, Matrix<double> x)
    {
        var w = net.WeightLayers[0];
        var h = new double[x.Rows * 7];
        for (int i = 0; i < x.Rows; i++)
            for (int c = 0; c < 7; c++)
            {
                double s = w.Bias.Values[c];
                for (int k = 0; k < 5; k++) s += w.Weight.Values[c * 5 + k] * x[i, k];
                h[i * 7 + c] = s;
            }
        return h;
    }

    private static double Rms(IEnumerable<double> v) => Math.Sqrt(v.Average(a => a * a));

    [Fact]
    public void ReadsEveryLayersSizeAndItsChange()
    {
        var (net, x) = Small();
        var probe = new LayerCoordinates<double>(net, x);
        Assert.Equal(["0.dense", "1.relu", "2.dense"], probe.Layers);
        var size = new double[3];
        var change = new double[3];
        probe.Read(size, change);
        var h0 = Hidden(net, x);
        var y0 = net.Forward(x).Data;
        Assert.Equal(Rms(h0), size[0], 12);
        Assert.Equal(Rms(h0.Select(v => Math.Max(v, 0))), size[1], 12);
        Assert.Equal(Rms(y0), size[2], 12);
        Assert.All(change, c => Assert.Equal(0, c));

        // Move the first layer's weights: its change is the RMS of the difference, and the later layers move too.
        for (int i = 0; i < net.WeightLayers[0].Weight.Values.Length; i++) net.WeightLayers[0].Weight.Values[i] += 0.05 * Math.Cos(i);
        probe.Read(size, change);
        var h1 = Hidden(net, x);
        Assert.Equal(Rms(h1), size[0], 12);
        Assert.Equal(Rms(h1.Zip(h0, (a, b) => a - b)), change[0], 12);
        Assert.Equal(Rms(h1.Zip(h0, (a, b) => Math.Max(a, 0) - Math.Max(b, 0))), change[1], 12);
        var y1 = net.Forward(x).Data;
        Assert.Equal(Rms(y1.Zip(y0, (a, b) => a - b)), change[2], 12);
        Assert.True(change[2] > 0);
    }
}
