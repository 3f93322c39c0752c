using System.Numerics.Tensors;
using CsCheck;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;

namespace Tangent.Tests.Kernels;

/// <summary>Properties every analytic kernel must have, over random architectures and inputs.</summary>
public class KernelPropertyTests
{
    private static readonly string[] Activations =
        ["relu", "leaky_relu(alpha=0.2)", "abrelu(a=-0.3,b=1.5)", "abs", "erf", "erf(a=0.7,b=1.8,c=0.3)", "gelu", "sin(b=0.8)", "cos(a=1.2,b=0.9,c=0.1)",
         "gaussian(b=-0.5)", "exp(b=0.5)", "rbf(gamma=0.5)", "sigmoid_like", "monomial(degree=2)", "rectified_monomial(degree=2)", "polynomial(coef=[0.1,-0.5,0.3,0.2])",
         "identity", "tanh", "softplus", "silu", "sigmoid"];

    // The bias is 0 or at least 0.1: a tiny one (6.45e-8 was drawn once) turns exactly collinear inputs (correlation 1,
    // snapped) into correlations of 1 − 1e-15, where arccos is as ill-conditioned as described below (seen: smallest
    // eigenvalue −9.8e−10 × largest, reproduced bit for bit with the code of a day earlier: the inputs, not a regression).
    private static readonly Gen<double> Bias = Gen.Int[0, 30].Select(i => i < 10 ? 0.0 : i / 100.0);

    private static readonly Gen<string> Arch =
        Gen.Select(Gen.Int[0, Activations.Length - 1].Select(i => Activations[i]), Gen.Int[0, Activations.Length - 1].Select(i => Activations[i]), Gen.Double[0.5, 1.6], Bias, Gen.Int[0, 3])
           .Select((a1, a2, w, b, kind) => kind switch
           {
               0 => $"dense(w={w},b={b}) > {a1} > dense(w={w},b={b}) > {a2} > dense",
               1 => $"dense(w={w},b={b}) > residual({a1} > dense(w={w})) > {a2} > dense",
               2 => $"dense(w={w},b={b}) > product(dense > {a1}, dense > {a2}) > dense",
               // A bias keeps LayerNorm's input variance away from zero (LayerNorm of an all-zero vector is undefined).
               _ => $"dense(w={w},b={b + 0.1}) > layer_norm > {a1} > dense",
           });

    // Coordinates on a grid of 0.01: points are exactly collinear (correlation ±1, snapped) or at least 5e-6 rad apart
    // (|a × b| ≥ 1 in grid units), never in between. Two points 3e-8 rad apart have a correlation 1 − 4e-16 that one ulp
    // of rounding moves by 25 %, and the ReLU family's derivative kernel is linear in the angle: the NTK then carries
    // errors of ~1e-8 relative (seen: smallest eigenvalue −1.2e−8 × largest), the conditioning of arccos at 1, not of
    // the implementation.
    private static readonly Gen<Matrix<double>> SeparatedInputs =
        Gen.Int[2, 24].SelectMany(n => Gen.Int[1, 9].SelectMany(d => Gen.Int[-150, 150].Select(i => i / 100.0).Array[n * d].Select(a => new Matrix<double>(n, d, a))));

    [Fact]
    public void KernelsAreSymmetricPositiveSemidefiniteWithNtkAboveNngpOnTheDiagonal()
    {
        Gen.Select(Arch, SeparatedInputs).Sample((spec, x) =>
        {
            var k = AnalyticKernel.Compute(Architecture.Parse(spec), x);
            foreach (var m in new[] { k.Nngp, k.Ntk! })
            {
                for (int i = 0; i < m.Rows; i++)
                    for (int j = 0; j < i; j++)
                        Assert.Equal(m[i, j], m[j, i]);
                var eig = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowMajor(m.Rows, m.Cols, m.Data).Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues;
                double max = eig.Max(e => e.Real), min = eig.Min(e => e.Real);
                Assert.True(min >= -1e-10 * max, $"{spec}: smallest eigenvalue {min:e3} vs largest {max:e3}");
            }
            for (int i = 0; i < x.Rows; i++) Assert.True(k.Ntk![i, i] >= k.Nngp[i, i] * (1 - 1e-14), $"{spec}: NTK {k.Ntk[i, i]} < NNGP {k.Nngp[i, i]} at {i}");
        }, iter: 60, seed: "0N0XIzNsQ0O2");
    }

    // Points in general position (d >= 3) and well apart: no two within 0.045 rad of each other or of each other's
    // opposite (|cos| <= 0.999) and none shorter than 0.3. Near-collinear points put correlations near ±1, where arccos
    // amplifies the rounding differences between SYRK and GEMM by 1/sin θ: with d = 1 every pair is collinear (1e-8
    // differences), and CsCheck's doubles (often 0, ±1 and tiny values) once gave two points 7e-7 rad apart and a 6e-12
    // relative NTK difference, conditioning that no tolerance should hide.
    private static readonly Gen<Matrix<double>> GeneralInputs =
        Gen.Int[2, 24].SelectMany(n => Gen.Int[3, 9].SelectMany(d => Gen.Int[-1500, 1500].Select(i => i / 1000.0).Array[n * d].Select(a => new Matrix<double>(n, d, a))))
           .Where(WellApart);

    private static bool WellApart(Matrix<double> x)
    {
        var norms = Enumerable.Range(0, x.Rows).Select(i => TensorPrimitives.Norm<double>(x.Row(i))).ToArray();
        if (norms.Any(r => r < 0.3)) return false;
        for (int i = 0; i < x.Rows; i++)
            for (int j = 0; j < i; j++)
                if (Math.Abs(TensorPrimitives.Dot<double>(x.Row(i), x.Row(j))) > 0.999 * norms[i] * norms[j]) return false;
        return true;
    }

    [Fact]
    public void CrossKernelAgreesWithSymmetricKernelOffTheDiagonal()
    {
        Gen.Select(Arch, GeneralInputs).Sample((spec, x) =>
        {
            var arch = Architecture.Parse(spec);
            var sym = AnalyticKernel.Compute(arch, x);
            var cross = AnalyticKernel.Compute(arch, x, x.Clone());
            double scale = sym.Ntk!.Data.Max(Math.Abs);
            for (int i = 0; i < x.Rows; i++)
                for (int j = 0; j < x.Rows; j++)
                    if (i != j) Assert.True(Math.Abs(sym.Ntk[i, j] - cross.Ntk![i, j]) <= 1e-12 * scale, $"{spec} at ({i},{j}): {sym.Ntk[i, j]:R} vs {cross.Ntk![i, j]:R}, scale {scale:R}; NNGP {sym.Nngp[i, j]:R} vs {cross.Nngp[i, j]:R}; x {string.Join(",", x.Data)} n {x.Rows}");
        }, iter: 30, seed: "0N0XIzNsQ0O3");
    }

    [Fact]
    public void HundredLayerReluNetworkStaysFinite()
    {
        string spec = string.Join(" > ", Enumerable.Repeat("dense(w=1.41,b=0.1) > relu", 100)) + " > dense";
        var rng = new Random(3);
        var x = new Matrix<double>(20, 10);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = rng.NextDouble() - 0.5;
        var k = AnalyticKernel.Compute(Architecture.Parse(spec), x);
        Assert.All(k.Nngp.Data, v => Assert.True(double.IsFinite(v) && v > 0));
        Assert.All(k.Ntk!.Data, v => Assert.True(double.IsFinite(v) && v > 0));
        // At depth 100 the NTK of a point with itself grows linearly with depth (each layer adds its NNGP): well above the NNGP.
        Assert.True(k.Ntk[0, 0] > 50 * k.Nngp[0, 0]);
    }

    [Fact]
    public void Float32AgreesWithFloat64()
    {
        var arch = Architecture.Parse("dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > erf > dense(w=1.41,b=0.1) > gelu > dense");
        var rng = new Random(5);
        var x = new Matrix<double>(300, 17);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = rng.NextDouble() * 2 - 1;
        var xf = new Matrix<float>(300, 17, x.Data.Select(v => (float)v).ToArray());
        var k64 = AnalyticKernel.Compute(arch, x);
        var k32 = AnalyticKernel.Compute(arch, xf);
        double scale = k64.Ntk!.Data.Max();
        for (int i = 0; i < k64.Ntk.Data.Length; i++)
            Assert.True(Math.Abs(k64.Ntk.Data[i] - k32.Ntk!.Data[i]) <= 1e-5 * scale, $"entry {i}: {k64.Ntk.Data[i]} vs {k32.Ntk.Data[i]}");
    }

    [Fact]
    public void TilingAndThreadsDoNotChangeTheResult()
    {
        var arch = Architecture.Parse("dense(w=1.41,b=0.1) > relu > residual(relu > dense) > tanh(order=8) > dense");
        var rng = new Random(11);
        var x = new Matrix<double>(150, 6);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = rng.NextDouble() - 0.5;
        // The managed BLAS (an async-local choice): OpenBLAS rounds a SYRK's last bits differently for different thread
        // counts, and tests running alongside pin it to one thread and back (seen: 46 entries differing by an ulp).
        using var blas = LinearAlgebra.Use(BackendKind.Managed);
        var a = AnalyticKernel.Compute(arch, x, null, new KernelOptions { TileSize = 128 });
        var b = AnalyticKernel.Compute(arch, x, null, new KernelOptions { TileSize = 16, MaxThreads = 1 });
        Assert.Equal(a.Ntk!.Data, b.Ntk!.Data);
        Assert.Equal(a.Nngp.Data, b.Nngp.Data);
    }

    [Fact]
    public void DivergentKernelIsReportedNotReturned()
    {
        var x = new Matrix<double>(40, 3);
        Array.Fill(x.Data, 3.0);
        var e = Assert.Throws<KernelRequestException>(() => AnalyticKernel.Compute(Architecture.Parse("dense(w=2) > gaussian(a=1,b=1) > dense"), x));
        Assert.Contains("not finite", e.Message);
    }

    [Fact]
    public void RequestThatCannotFitIsRefusedBeforeAllocating()
    {
        var arch = Architecture.Parse("dense > relu > dense");
        var x = new Matrix<double>(50_000, 2);
        var before = GC.GetTotalAllocatedBytes(true);
        var e = Assert.Throws<KernelRequestException>(() => AnalyticKernel.Compute(arch, x, null, new KernelOptions { MemoryLimitBytes = 1L << 30 }));
        Assert.True(GC.GetTotalAllocatedBytes(true) - before < 1 << 20, "allocated before refusing");
        Assert.Contains("float32", e.Message);
        var tooMany = Assert.Throws<KernelRequestException>(() => AnalyticKernel.Compute(arch, new Matrix<double>(1_000_000, 1), null));
        Assert.Contains("entries", tooMany.Message);
    }
}
