using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;

namespace Tangent.Tests.Kernels;

/// <summary>The fused Dense + ReLU-family pass against the separate operations: it must round identically, entry by entry.</summary>
public class FusedDenseActivationTests
{
    [Theory]
    [InlineData("dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense", 37, 45, 13)]
    [InlineData("dense(w=1.2) > leaky_relu(alpha=0.1) > dense(w=0.9,b=0.3) > erf > dense(w=1.5) > abs > dense", 16, 8, 5)]
    [InlineData("dense(w=1.3,b=0.2) > abrelu(a=-0.4,b=1.5) > layer_norm > dense(w=1.1) > relu > dense", 9, 23, 7)]
    public void FusedPassEqualsSeparateOperations(string spec, int n1, int n2, int d)
    {
        var rng = new Random(n1 * 101 + n2);
        var x1 = new Matrix<double>(n1, d);
        var x2 = new Matrix<double>(n2, d);
        for (int i = 0; i < x1.Data.Length; i++) x1.Data[i] = rng.NextDouble() - 0.5;
        for (int i = 0; i < x2.Data.Length; i++) x2.Data[i] = rng.NextDouble() - 0.5;
        x1.Data.AsSpan(0, d).Clear(); // a zero point: zero variance, zero correlation with everything
        var arch = Architecture.Parse(spec);
        // The managed BLAS (an async-local choice): OpenBLAS rounds the input Gram matrix's last bits differently for
        // different thread counts, which tests running alongside change.
        using var blas = LinearAlgebra.Use(BackendKind.Managed);
        foreach (var options in new[] { new KernelOptions(), new KernelOptions { TileSize = 8 } })
        {
            var fused = (AnalyticKernel.Compute(arch, x1, x2, options), AnalyticKernel.Compute(arch, x1, null, options),
                         AnalyticKernel.Compute(arch, ToFloat(x1), ToFloat(x2), options));
            using (FusedDenseActivation.Switch.TurnOff())
            {
                var separate = (AnalyticKernel.Compute(arch, x1, x2, options), AnalyticKernel.Compute(arch, x1, null, options),
                                AnalyticKernel.Compute(arch, ToFloat(x1), ToFloat(x2), options));
                Assert.Equal(separate.Item1.Nngp.Data, fused.Item1.Nngp.Data);
                Assert.Equal(separate.Item1.Ntk!.Data, fused.Item1.Ntk!.Data);
                Assert.Equal(separate.Item2.Nngp.Data, fused.Item2.Nngp.Data);
                Assert.Equal(separate.Item2.Ntk!.Data, fused.Item2.Ntk!.Data);
                Assert.Equal(separate.Item3.Nngp.Data, fused.Item3.Nngp.Data);
                Assert.Equal(separate.Item3.Ntk!.Data, fused.Item3.Ntk!.Data);
                Assert.Contains(separate.Item1.Nngp.Data, v => v != 0);
            }
        }
    }

    private static Matrix<float> ToFloat(Matrix<double> m) => new(m.Rows, m.Cols, m.Data.Select(v => (float)v).ToArray());
}
