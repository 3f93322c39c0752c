using System.Diagnostics;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;

namespace Tangent.Bench;

/// <summary>Analytic kernel throughput figures.</summary>
public static class KernelBenchmarks
{
    private const string Relu3 = "dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense";

    public static IEnumerable<BenchDefinition> All =>
    [
        new("fc_relu3_n4096_d784_f64", "FC ReLU depth 3, NTK + NNGP, N=4096, d=784, float64", () => FullyConnected<double>("fc_relu3_n4096_d784_f64", 4096, 784)),
        new("fc_relu3_n4096_d784_f32", "FC ReLU depth 3, NTK + NNGP, N=4096, d=784, float32", () => FullyConnected<float>("fc_relu3_n4096_d784_f32", 4096, 784)),
        new("cntk_gap3_8x8x3_f64", "CNTK, 3 x conv3x3+ReLU, global average pooling, NTK + NNGP of 8x8x3 images, float64", () => Convolutional<double>("cntk_gap3_8x8x3_f64", 384, 8)),
        new("cntk_gap3_16x16x3_f32", "CNTK, 3 x conv3x3+ReLU, global average pooling, NTK + NNGP of 16x16x3 images, float32", () => Convolutional<float>("cntk_gap3_16x16x3_f32", 160, 16)),
        new("cntk_gap3_32x32x3_f32", "CNTK, 3 x conv3x3+ReLU, global average pooling, NTK + NNGP of 32x32x3 images, float32", () => Convolutional<float>("cntk_gap3_32x32x3_f32", 32, 32)),
    ];

    private const string CntkGap3 = "conv(f=3,pad=same,w=1.41,b=0.1) > relu > conv(f=3,pad=same,w=1.41,b=0.1) > relu > conv(f=3,pad=same,w=1.41,b=0.1) > relu > global_avg_pool > dense";

    private static BenchFigure Convolutional<T>(string name, int n, int side) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var arch = Architecture.Parse(CntkGap3);
        var rng = new Random(42);
        var x = new Matrix<T>(n, side * side * 3);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = T.CreateTruncating(Normal(rng));
        var shape = new Tangent.Specs.TensorShape([side, side], 3);
        var seconds = Timing.Best(() => AnalyticKernel.ComputeImages(arch, x, shape), repeats: 2);
        return new BenchFigure(name, (double)n * n / seconds, "pairs/s", new Dictionary<string, object>
        {
            ["seconds"] = seconds, ["n"] = n, ["image"] = $"{side}x{side}x3", ["threads"] = Environment.ProcessorCount,
        });
    }

    private static BenchFigure FullyConnected<T>(string name, int n, int d) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var arch = Architecture.Parse(Relu3);
        var rng = new Random(42);
        var x = new Matrix<T>(n, d);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = T.CreateTruncating(Normal(rng));
        var seconds = Timing.Best(() => AnalyticKernel.Compute(arch, x), repeats: 5);
        return new BenchFigure(name, (double)n * n / seconds, "entries/s", new Dictionary<string, object>
        {
            ["seconds"] = seconds, ["n"] = n, ["d"] = d, ["backend"] = LinearAlgebra.Current.Name, ["threads"] = Environment.ProcessorCount,
        });
    }

    internal static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}

/// <summary>Wall-clock timing helpers.</summary>
public static class Timing
{
    /// <summary>Runs once to warm up (JIT, page faults of fresh buffers), then returns the best of <paramref name="repeats"/> runs in seconds.</summary>
    public static double Best(Action run, int repeats)
    {
        run();
        double best = double.PositiveInfinity;
        for (int r = 0; r < repeats; r++)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            run();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }
}
