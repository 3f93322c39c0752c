using Tangent.Gpu;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Tests.Gpu;

/// <summary>The measurement code behind <c>tangent bench --device cuda</c>, at tiny sizes on the CPU accelerator: it runs, times, and its CPU check is real.</summary>
public class GpuMeasurementTests
{
    [Fact]
    public void FullyConnectedTimesAndChecksAgainstTheCpu()
    {
        var x = GpuFlatConformanceTests.ToFloat(Data.Random(40, 12, seed: 2));
        var t = GpuMeasurements.FullyConnected(Simulator.Session, "dense(w=1.41,b=0.1) > relu > dense", x, checkRows: 16, repeats: 1);
        Assert.True(t.Seconds > 0 && t.SecondsToHost > 0);
        Assert.InRange(t.MaxRelativeDifference, 0, 1e-5);
    }

    [Fact]
    public void ConvolutionalTimesAndChecksAgainstTheCpu()
    {
        var x = Data.Random(6, 4 * 4 * 3, seed: 3);
        var t = GpuMeasurements.Convolutional(Simulator.Session, "conv(f=3,pad=same,w=1.41,b=0.1) > relu > global_avg_pool > dense", x, new TensorShape([4, 4], 3), checkImages: 3, repeats: 1);
        Assert.True(t.Seconds > 0);
        Assert.InRange(t.MaxRelativeDifference, 0, 1e-12);
    }

    [Fact]
    public void EigenResidualIsSmall()
    {
        int n = 12;
        var a = GpuLinearAlgebra.GemmNT(Data.Random(n, n, seed: 4), null, Device.Cpu).Data;
        var t = GpuMeasurements.SymmetricEigen(Simulator.Session, a, n, repeats: 1);
        Assert.InRange(t.MaxRelativeDifference, 0, 1e-12);
    }
}
