using Tangent.Gpu;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Specs;

namespace Tangent.Tests.Gpu;

/// <summary>
/// Kernels larger than the device's memory: a small device-memory limit forces many panels of rows (flat) or many
/// batches of pairs (images), and the result must be the same, bit for bit, as in one piece.
/// </summary>
public class GpuTilingTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PanelsOfRowsGiveTheSameKernel(bool symmetric)
    {
        var arch = Architecture.Parse("dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense");
        var x1 = Data.Random(45, 9, seed: 1);
        var x2 = symmetric ? null : Data.Random(31, 9, seed: 2);
        int n2 = x2?.Rows ?? x1.Rows;
        var whole = GpuKernel.Compute(Simulator.Session, arch, x1, x2, null, null);
        long limit = 2L * 7 * n2 * 16 + 8 * 1024; // two panels of 7 rows (NNGP + NTK, float64) and up to 8 KB of inputs: 7 to 12 rows a panel
        var progress = new List<double>();
        var tiled = GpuKernel.Compute(Simulator.Session, arch, x1, x2, new KernelOptions { Progress = new Recorder(progress) }, new GpuOptions { DeviceMemoryLimitBytes = limit });
        Assert.Equal(whole.Nngp.Data, tiled.Nngp.Data);
        Assert.Equal(whole.Ntk!.Data, tiled.Ntk!.Data);
        Assert.True(progress.Count >= 3, $"expected several panels, got {progress.Count}");
        Assert.Equal(1.0, progress[^1]);
    }

    [Fact]
    public void DeviceTooSmallForTwoRowsIsRefused()
    {
        var arch = Architecture.Parse("dense > relu > dense");
        var x = Data.Random(10, 4, seed: 1);
        var e = Assert.Throws<KernelRequestException>(() => GpuKernel.Compute(Simulator.Session, arch, x, null, null, new GpuOptions { DeviceMemoryLimitBytes = 100 }));
        Assert.Contains("free for buffers", e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchesOfImagePairsGiveTheSameKernel(bool symmetric)
    {
        var arch = Architecture.Parse("conv(f=3,pad=same,w=1.41,b=0.1) > relu > conv(f=3,pad=same,w=1.41,b=0.1) > relu > global_avg_pool > dense");
        var shape = new TensorShape([4, 4], 2);
        var x1 = Data.Random(7, 32, seed: 7);
        var x2 = symmetric ? null : Data.Random(5, 32, seed: 8);
        var whole = GpuKernel.ComputeImages(Simulator.Session, arch, x1, shape, x2, null, null);
        var batched = GpuKernel.ComputeImages(Simulator.Session, arch, x1, shape, x2, null, new GpuOptions { ImagePairBatch = 3 });
        Assert.Equal(whole.Nngp.Data, batched.Nngp.Data);
        Assert.Equal(whole.Ntk!.Data, batched.Ntk!.Data);
        GpuFlatConformanceTests.AssertAgree(whole, AnalyticKernel.ComputeImages(arch, x1, shape, x2), "4x4x2 CNTK-GAP");
    }

    private sealed class Recorder(List<double> values) : IProgress<double>
    {
        public void Report(double value) { lock (values) values.Add(value); }
    }
}
