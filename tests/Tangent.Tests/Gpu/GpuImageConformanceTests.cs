using Tangent.Gpu;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Tests.Gpu;

/// <summary>
/// The device kernels of convolutional networks on ILGPU's CPU accelerator against the CPU engine (1e-12 in float64,
/// 1e-5 in float32) and neural-tangents, on every convolutional conformance case the device covers.
/// </summary>
public class GpuImageConformanceTests
{
    public static readonly string[] Covered = ["cnn_flatten", "cnn_gap", "cnn_valid_stride", "cnn_circular"];

    public static IEnumerable<object[]> CoveredCases => Covered.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(CoveredCases))]
    public void Float64MatchesCpuAndNeuralTangents(string name)
    {
        var (arch, x1, x2, shape) = Load(name);
        var gpu12 = GpuKernel.ComputeImages(Simulator.Session, arch, x1, shape, x2, null, null);
        var gpu11 = GpuKernel.ComputeImages(Simulator.Session, arch, x1, shape, null, null, null);
        GpuFlatConformanceTests.AssertAgree(gpu12, AnalyticKernel.ComputeImages(arch, x1, shape, x2), name + " x1-x2");
        GpuFlatConformanceTests.AssertAgree(gpu11, AnalyticKernel.ComputeImages(arch, x1, shape), name + " x1-x1");
        var c = Conformance.AnalyticCase(name);
        Conformance.AssertClose(gpu12.Nngp, c.GetProperty("nngp_12"), "nngp_12");
        Conformance.AssertSymmetricClose(gpu11.Ntk!, c.GetProperty("ntk_11"), "ntk_11");
    }

    [Theory]
    [MemberData(nameof(CoveredCases))]
    public void Float32MatchesCpu(string name)
    {
        var (arch, x1, x2, shape) = Load(name);
        var f1 = GpuFlatConformanceTests.ToFloat(x1);
        var f2 = GpuFlatConformanceTests.ToFloat(x2);
        GpuFlatConformanceTests.AssertAgree(GpuKernel.ComputeImages(Simulator.Session, arch, f1, shape, f2, null, null), AnalyticKernel.ComputeImages(arch, f1, shape, f2), name + " f32 x1-x2");
        GpuFlatConformanceTests.AssertAgree(GpuKernel.ComputeImages(Simulator.Session, arch, f1, shape, null, null, null), AnalyticKernel.ComputeImages(arch, f1, shape), name + " f32 x1-x1");
    }

    [Fact]
    public void AveragePoolingIsRefusedByName()
    {
        var (arch, x1, _, shape) = Load("cnn_avgpool");
        var e = Assert.Throws<KernelRequestException>(() => GpuKernel.ComputeImages(Simulator.Session, arch, x1, shape, null, null, null));
        Assert.Contains("AvgPool", e.Message);
    }

    [Fact]
    public void SequencesAndStandardParameterisationMatchCpu()
    {
        // 1-D convolutions, standard parameterisation, LayerNorm and erf per position, Flatten then a flat tail.
        var arch = Architecture.Parse("conv(f=3,pad=same,w=1.3,b=0.1,c=8) > erf > conv(f=2,pad=valid,w=1.2,c=8,p=standard) > layer_norm > relu > flatten > dense(w=1.1,b=0.1) > relu > dense");
        var shape = new TensorShape([7], 2);
        var x1 = Data.Random(5, 14, seed: 3);
        var x2 = Data.Random(4, 14, seed: 4);
        GpuFlatConformanceTests.AssertAgree(GpuKernel.ComputeImages(Simulator.Session, arch, x1, shape, x2, null, null), AnalyticKernel.ComputeImages(arch, x1, shape, x2), "sequence x1-x2");
        GpuFlatConformanceTests.AssertAgree(GpuKernel.ComputeImages(Simulator.Session, arch, x1, shape, null, null, null), AnalyticKernel.ComputeImages(arch, x1, shape), "sequence x1-x1");
    }

    internal static (Architecture, Matrix<double>, Matrix<double>, TensorShape) Load(string name)
    {
        var c = Conformance.AnalyticCase(name);
        var x1e = c.GetProperty("x1");
        var shape = new TensorShape([x1e[0].GetArrayLength(), x1e[0][0].GetArrayLength()], x1e[0][0][0].GetArrayLength());
        return (Architecture.Parse(c.GetProperty("spec").GetRawText()), Conformance.ToMatrix(x1e), Conformance.ToMatrix(c.GetProperty("x2")), shape);
    }
}
