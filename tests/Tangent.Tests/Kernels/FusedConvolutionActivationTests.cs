using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Tests.Kernels;

/// <summary>The fused convolution + ReLU-family sweep against the separate operations it replaces.</summary>
public class FusedConvolutionActivationTests
{
    [Theory]
    // Square images one vector wide (8 doubles), two vectors wide, and a 1-D sequence; float images 16 and 32 wide.
    [InlineData("conv(f=3,pad=same,w=1.4,b=0.1) > relu > conv(f=5,pad=same,w=1.3) > abs > global_avg_pool > dense", 8, 8, 2)]
    [InlineData("conv(f=3,pad=same,w=1.4,b=0.1) > leaky_relu(alpha=0.2) > conv(f=3,pad=same) > relu > avg_pool(window=2,strides=2) > flatten > dense", 8, 16, 3)]
    [InlineData("conv(f=3,pad=same) > abrelu(a=-0.5,b=2) > erf > conv(f=3,pad=same,b=0.3) > relu > global_sum_pool", 1, 16, 2)]
    // Three vectors wide: the row's chunks go through the transform in pairs, the odd third as its own twin.
    [InlineData("conv(f=3,pad=same,w=1.3) > relu > conv(f=3,pad=same,b=0.2) > relu > avg_pool(window=2,strides=2) > flatten > dense", 4, 24, 2)]
    [InlineData("conv(f=5,pad=same,w=1.4,b=0.1) > relu > global_avg_pool > dense", 3, 24, 1)]
    public void FusedSweepMatchesSeparateOperationsInFloat64(string spec, int height, int width, int channels)
    {
        var (fused, separate) = BothWays<double>(spec, height, width, channels, seed: height * 31 + width);
        for (int i = 0; i < separate.Nngp.Data.Length; i++)
        {
            Assert.Equal(separate.Nngp.Data[i], fused.Nngp.Data[i], 1e-13 * Math.Abs(separate.Nngp.Data[i]) + 1e-300);
            Assert.Equal(separate.Ntk!.Data[i], fused.Ntk!.Data[i], 1e-13 * Math.Abs(separate.Ntk.Data[i]) + 1e-300);
        }
    }

    [Theory]
    [InlineData(16), InlineData(32)]
    public void FusedSweepMatchesSeparateOperationsInFloat32(int side)
    {
        const string spec = "conv(f=3,pad=same,w=1.41,b=0.1) > relu > conv(f=3,pad=same,w=1.41,b=0.1) > relu > global_avg_pool > dense";
        var (fused, separate) = BothWays<float>(spec, side, side, 3, seed: side);
        for (int i = 0; i < separate.Nngp.Data.Length; i++)
        {
            Assert.Equal(separate.Nngp.Data[i], fused.Nngp.Data[i], 2e-6f * Math.Abs(separate.Nngp.Data[i]));
            Assert.Equal(separate.Ntk!.Data[i], fused.Ntk!.Data[i], 2e-6f * Math.Abs(separate.Ntk.Data[i]));
        }
    }

    /// <summary>The kernel of three images (one all zero: zero variance everywhere) against two others, both ways.</summary>
    private static (KernelResult<T> Fused, KernelResult<T> Separate) BothWays<T>(string spec, int height, int width, int channels, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        int size = height * width * channels;
        var x1 = new Matrix<T>(3, size);
        var x2 = new Matrix<T>(2, size);
        for (int i = size; i < x1.Data.Length; i++) x1.Data[i] = T.CreateTruncating(rng.NextDouble() - 0.5);
        for (int i = 0; i < x2.Data.Length; i++) x2.Data[i] = T.CreateTruncating(rng.NextDouble() - 0.5);
        var shape = height == 1 ? new TensorShape([width], channels) : new TensorShape([height, width], channels);
        var arch = Architecture.Parse(spec);
        var fused = AnalyticKernel.ComputeImages(arch, x1, shape, x2);
        using (FusedConvolutionActivation.Switch.TurnOff())
        {
            var separate = AnalyticKernel.ComputeImages(arch, x1, shape, x2);
            Assert.True(separate.Nngp.Data.Any(v => v != T.Zero), "the test needs nonzero kernels");
            return (fused, separate);
        }
    }
}
