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
    ];

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
