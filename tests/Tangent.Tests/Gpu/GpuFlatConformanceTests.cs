using Tangent.Gpu;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;

namespace Tangent.Tests.Gpu;

/// <summary>
/// The device kernels of fully connected networks, run on ILGPU's CPU accelerator, against the CPU engine (1e-12 in
/// float64, 1e-5 in float32) and against neural-tangents' values, on every conformance case the device covers.
/// </summary>
public class GpuFlatConformanceTests
{
    /// <summary>Fully connected fixture cases whose layers the device covers.</summary>
    public static readonly string[] Covered = ["fc_relu_1", "fc_relu_3_bias", "fc_erf_2", "fc_erf_abc", "fc_leaky", "fc_abrelu", "fc_abs", "fc_sign", "fc_sigmoid_like", "fc_standard_param", "fc_layernorm"];

    public static IEnumerable<object[]> CoveredCases => Covered.Select(n => new object[] { n });

    public static IEnumerable<object[]> UncoveredCases =>
        Conformance.AnalyticNames(images: false).Select(o => (string)o[0]).Except(Covered).Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(CoveredCases))]
    public void Float64MatchesCpuAndNeuralTangents(string name)
    {
        var c = Conformance.AnalyticCase(name);
        var arch = Architecture.Parse(c.GetProperty("spec").GetRawText());
        var x1 = Conformance.ToMatrix(c.GetProperty("x1"));
        var x2 = Conformance.ToMatrix(c.GetProperty("x2"));
        var gpu12 = GpuKernel.Compute(Simulator.Session, arch, x1, x2, null, null);
        var gpu11 = GpuKernel.Compute(Simulator.Session, arch, x1, null, null, null);
        var cpu12 = AnalyticKernel.Compute(arch, x1, x2);
        var cpu11 = AnalyticKernel.Compute(arch, x1);
        AssertAgree(gpu12, cpu12, name + " x1-x2");
        AssertAgree(gpu11, cpu11, name + " x1-x1");
        Conformance.AssertClose(gpu12.Ntk!, c.GetProperty("ntk_12"), "ntk_12");
        Conformance.AssertSymmetricClose(gpu11.Nngp, c.GetProperty("nngp_11"), "nngp_11");
    }

    [Theory]
    [MemberData(nameof(CoveredCases))]
    public void Float32MatchesCpu(string name)
    {
        var c = Conformance.AnalyticCase(name);
        var arch = Architecture.Parse(c.GetProperty("spec").GetRawText());
        var x1 = ToFloat(Conformance.ToMatrix(c.GetProperty("x1")));
        var x2 = ToFloat(Conformance.ToMatrix(c.GetProperty("x2")));
        AssertAgree(GpuKernel.Compute(Simulator.Session, arch, x1, x2, null, null), AnalyticKernel.Compute(arch, x1, x2), name + " f32 x1-x2");
        AssertAgree(GpuKernel.Compute(Simulator.Session, arch, x1, null, null, null), AnalyticKernel.Compute(arch, x1), name + " f32 x1-x1");
    }

    [Theory]
    [MemberData(nameof(UncoveredCases))]
    public void UncoveredLayersAreRefusedByName(string name)
    {
        var c = Conformance.AnalyticCase(name);
        var arch = Architecture.Parse(c.GetProperty("spec").GetRawText());
        var x1 = Conformance.ToMatrix(c.GetProperty("x1"));
        var e = Assert.Throws<KernelRequestException>(() => GpuKernel.Compute(Simulator.Session, arch, x1, null, null, null));
        Assert.Contains("does not cover layer", e.Message);
        Assert.Contains("--device cpu", e.Message);
    }

    [Fact]
    public void DiagonalIsTheExactLimitAndTheResultExactlySymmetric()
    {
        var arch = Architecture.Parse("dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense");
        var x = Data.Random(37, 11, seed: 5);
        var gpu = GpuKernel.Compute(Simulator.Session, arch, x, null, null, null);
        var cpu = AnalyticKernel.Compute(arch, x);
        for (int i = 0; i < x.Rows; i++)
        {
            Assert.Equal(cpu.Nngp[i, i], gpu.Nngp[i, i]);
            Assert.Equal(cpu.Ntk![i, i], gpu.Ntk![i, i]);
            for (int j = 0; j < i; j++)
            {
                Assert.Equal(gpu.Nngp[j, i], gpu.Nngp[i, j]);
                Assert.Equal(gpu.Ntk![j, i], gpu.Ntk![i, j]);
            }
        }
    }

    [Fact]
    public void NngpAloneEqualsTheNngpOfTheFullComputation()
    {
        var arch = Architecture.Parse("dense(w=1.2,b=0.2) > erf > dense(w=1.3) > layer_norm > relu > dense");
        var x = Data.Random(20, 6, seed: 9);
        var both = GpuKernel.Compute(Simulator.Session, arch, x, null, null, null);
        var nngp = GpuKernel.Compute(Simulator.Session, arch, x, null, new KernelOptions { Ntk = false }, null);
        Assert.Null(nngp.Ntk);
        Assert.Equal(both.Nngp.Data, nngp.Nngp.Data);
    }

    internal static void AssertAgree<T>(KernelResult<T> gpu, KernelResult<T> cpu, string what) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        double k = Agreement.Relative<T>(gpu.Nngp.Data, cpu.Nngp.Data), t = Agreement.Relative<T>(gpu.Ntk!.Data, cpu.Ntk!.Data);
        Assert.True(k <= Agreement.Bar<T>(), $"{what}: NNGP differs from the CPU engine by {k:e2} (bar {Agreement.Bar<T>():e0})");
        Assert.True(t <= Agreement.Bar<T>(), $"{what}: NTK differs from the CPU engine by {t:e2} (bar {Agreement.Bar<T>():e0})");
    }

    internal static Matrix<float> ToFloat(Matrix<double> m) => new(m.Rows, m.Cols, Array.ConvertAll(m.Data, v => (float)v));
}

/// <summary>Random test inputs.</summary>
internal static class Data
{
    public static Matrix<double> Random(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var m = new Matrix<double>(rows, cols);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = rng.NextDouble() * 2 - 1;
        return m;
    }
}
