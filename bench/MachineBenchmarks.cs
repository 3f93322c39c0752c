using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tangent.Bench;

/// <summary>
/// What the machine itself delivers, to read the other figures against: the rate of double-precision vector
/// multiply-adds on one thread and on every core at once. On a shared virtual machine the two can tell apart two real
/// cores (the rate doubles) from two threads of one core (it does not), which the operating system does not show.
/// </summary>
public static class MachineBenchmarks
{
    public static IEnumerable<BenchDefinition> All =>
    [
        new("machine_fma_f64", "vector multiply-adds per second (float64, widest vectors), one thread and all cores", Fma),
    ];

    private static BenchFigure Fma()
    {
        int threads = Environment.ProcessorCount, lanes = Vector512.IsHardwareAccelerated ? 8 : 4;
        Rate(1); // warm-up: JIT and clock ramp
        double one = Rate(1), all = Rate(threads);
        return new BenchFigure("machine_fma_f64", all, "G vector FMA/s", new Dictionary<string, object>
        {
            ["one_thread"] = one, ["threads"] = threads, ["scaling"] = all / one, ["lanes"] = lanes,
            ["gflops"] = all * lanes * 2, ["one_thread_gflops"] = one * lanes * 2,
        });
    }

    /// <summary>Billions of vector FMAs per second, <paramref name="threads"/> threads running at once.</summary>
    internal static double Rate(int threads)
    {
        const long Iterations = 20_000_000;
        using var start = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            Sink = Vector512.IsHardwareAccelerated ? Chains512(Iterations) : Chains256(Iterations);
        })).ToList();
        workers.ForEach(w => w.Start());
        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        workers.ForEach(w => w.Join());
        return threads * Iterations * ChainCount / clock.Elapsed.TotalSeconds / 1e9;
    }

    // Twelve independent chains: more than FMA latency × issue rate (about 8 on the machines here), so the loop measures
    // throughput, not latency.
    private const int ChainCount = 12;

    private static double Sink;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Chains512(long iterations)
    {
        var m = Vector512.Create(0.999999);
        var c = Vector512.Create(1e-7);
        Vector512<double> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m, a8 = m, a9 = m, a10 = m, a11 = m;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c); a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c); a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c); a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c); a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Chains256(long iterations)
    {
        var m = Vector256.Create(0.999999);
        var c = Vector256.Create(1e-7);
        Vector256<double> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m, a8 = m, a9 = m, a10 = m, a11 = m;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c); a2 = Vector256.FusedMultiplyAdd(a2, m, c);
            a3 = Vector256.FusedMultiplyAdd(a3, m, c); a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c); a8 = Vector256.FusedMultiplyAdd(a8, m, c);
            a9 = Vector256.FusedMultiplyAdd(a9, m, c); a10 = Vector256.FusedMultiplyAdd(a10, m, c); a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
