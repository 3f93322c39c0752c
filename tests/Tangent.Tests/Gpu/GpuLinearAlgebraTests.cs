using Tangent.Gpu;
using Tangent.Linalg;

namespace Tangent.Tests.Gpu;

/// <summary>The device GEMM (the ILGPU kernel on the CPU accelerator) against the CPU BLAS; the eigendecomposition's CPU route.</summary>
public class GpuLinearAlgebraTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 5, 3)]
    [InlineData(33, 18, 29)]
    public void GemmMatchesCpuBlasIncludingRaggedEdges(int m, int n, int k)
    {
        var a = Data.Random(m, k, seed: m);
        var b = Data.Random(n, k, seed: n + 100);
        var gpu = GpuLinearAlgebra.GemmNT(Simulator.Session, a, b);
        var cpu = GpuLinearAlgebra.GemmNT(a, b, Device.Cpu);
        Assert.Equal(m, gpu.Rows);
        Assert.Equal(n, gpu.Cols);
        Assert.True(Agreement.Relative<double>(gpu.Data, cpu.Data) <= 1e-14, $"{Agreement.Relative<double>(gpu.Data, cpu.Data):e2}");
        var f = GpuLinearAlgebra.GemmNT(Simulator.Session, GpuFlatConformanceTests.ToFloat(a), GpuFlatConformanceTests.ToFloat(b));
        Assert.True(Agreement.Relative<float>(f.Data, Array.ConvertAll(cpu.Data, v => (float)v)) <= 1e-6);
    }

    [Fact]
    public void EigenOnADeviceWithoutCudaUsesTheCpuAndKeepsItsConventions()
    {
        int n = 6;
        var x = Data.Random(n, n, seed: 3);
        var a = GpuLinearAlgebra.GemmNT(x, null, Device.Cpu).Data;
        var copy = (double[])a.Clone();
        var w = new double[n];
        GpuLinearAlgebra.SymmetricEigen(Simulator.Session, n, copy, w);
        for (int k = 0; k < n; k++)
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++) s += a[i * n + j] * copy[j * n + k];
                Assert.Equal(w[k] * copy[i * n + k], s, 1e-10);
            }
        Assert.Throws<ArgumentException>(() => GpuLinearAlgebra.SymmetricEigen(Simulator.Session, 2, [1, double.NaN, 0, 1], new double[2]));
    }
}
