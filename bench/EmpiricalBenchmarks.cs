using System.Diagnostics;
using Tangent.Empirical;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Bench;

/// <summary>Empirical NTK figures: the structured implementation against the Jacobian contraction on the same network and inputs.</summary>
public static class EmpiricalBenchmarks
{
    private const string Mlp = "dense(w=1.41,b=0.1,n=512) > relu > dense(w=1.41,b=0.1,n=512) > relu > dense(w=1.41,b=0.1,n=10)";

    public static IEnumerable<BenchDefinition> All =>
    [
        new("entk_mlp784_512_512_10_n1024_f32",
            "trace empirical NTK of a 784-512-512-10 ReLU MLP on 1024 inputs, float32; value: structured seconds, ratio: contraction seconds / structured seconds",
            () => Mlp784(1024)),
    ];

    private static BenchFigure Mlp784(int n)
    {
        const string name = "entk_mlp784_512_512_10_n1024_f32";
        var network = FiniteNetwork<float>.Create(Architecture.Parse(Mlp), TensorShape.Flat(784), new FiniteNetworkOptions { Source = new SeededParameters(1) });
        var rng = new Random(42);
        var x = new Matrix<float>(n, 784);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = (float)KernelBenchmarks.Normal(rng);
        var structured = new EmpiricalOptions { Method = EmpiricalMethod.Structured };
        var contraction = new EmpiricalOptions { Method = EmpiricalMethod.Contraction };

        EmpiricalKernel<float>? fast = null, reference = null;
        double structuredSeconds = Timing.Best(() => fast = EmpiricalNtk.Compute(network, x, null, structured), repeats: 5);
        // The contraction takes tens of seconds: warm its code on a small batch, then time one full run.
        EmpiricalNtk.Compute(network, new Matrix<float>(8, 784, x.Data[..(8 * 784)]), null, contraction);
        var clock = Stopwatch.StartNew();
        reference = EmpiricalNtk.Compute(network, x, null, contraction);
        double contractionSeconds = clock.Elapsed.TotalSeconds;

        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < reference.Data.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(fast!.Data[i] - reference.Data[i]));
            maxRef = Math.Max(maxRef, Math.Abs(reference.Data[i]));
        }
        return new BenchFigure(name, structuredSeconds, "s", new Dictionary<string, object>
        {
            ["ratio"] = contractionSeconds / structuredSeconds,
            ["structured_seconds"] = structuredSeconds,
            ["contraction_seconds"] = contractionSeconds,
            ["relative_difference"] = maxDiff / maxRef,
            ["n"] = n, ["parameters"] = network.ParameterCount,
            ["backend"] = LinearAlgebra.Current.Name, ["threads"] = Environment.ProcessorCount,
        });
    }
}
