using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Numerics;

namespace Tangent.Bench;

/// <summary>
/// The parts that bound the kernel figures, each timed alone: the ReLU arc-cosine pair transform (the inner loop of the
/// CNTK sweep and of the FC tile pass) on vectors that stay in L1, and the BLAS SYRK that forms the FC Gram matrix. Each
/// figure also reports the ceiling its part alone puts on the kernel figures on this machine (as if everything else were
/// free), so a kernel figure's goal can be read against what the machine at hand allows.
/// </summary>
public static class ComponentBenchmarks
{
    public static IEnumerable<BenchDefinition> All =>
    [
        new("relu_transform_f64", "ReLU arc-cosine pair transform alone (NNGP and derivative), float64 vectors in L1, one thread", () => Transform<double>("relu_transform_f64", side: 8)),
        new("relu_transform_f32", "ReLU arc-cosine pair transform alone (NNGP and derivative), float32 vectors in L1, one thread", () => Transform<float>("relu_transform_f32", side: 16)),
        new("syrk_n4096_d784_f64", "Gram matrix X·Xᵀ (upper triangle) by the BLAS SYRK alone, N=4096, d=784, float64, all cores", () => Syrk<double>("syrk_n4096_d784_f64", 4096, 784)),
        new("syrk_n4096_d784_f32", "Gram matrix X·Xᵀ (upper triangle) by the BLAS SYRK alone, N=4096, d=784, float32, all cores", () => Syrk<float>("syrk_n4096_d784_f32", 4096, 784)),
    ];

    // Vectors per timed sweep: 64 × 64 bytes × 4 arrays = 16 KiB, in L1 like the CNTK sweep's row buffers.
    private const int Vectors = 64;

    /// <summary>
    /// Nanoseconds per vector of the transform in the two-vector form the CNTK sweep uses, on independent vectors with
    /// correlations spread over [−1, 1]. <paramref name="side"/> is the image side of the CNTK figure of this precision,
    /// for the ceiling it implies.
    /// </summary>
    private static BenchFigure Transform<T>(string name, int side) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Vector512.IsHardwareAccelerated)
            return new BenchFigure(name, double.NaN, "ns/vector", new Dictionary<string, object> { ["skipped"] = "no 512-bit vectors on this machine" });
        int lanes = Vector512<T>.Count, n = Vectors * lanes;
        var rng = new Random(7);
        var covariance = new T[n];
        for (int i = 0; i < n; i++) covariance[i] = T.CreateTruncating(2 * rng.NextDouble() - 1);
        var nngp = new T[n];
        var tdot = new T[n];
        var arc = new Relu().Vectors<T>();
        const int Sweeps = 20_000;
        // Warm-up long enough for tiered compilation to install the optimised sweep (it waits 100 ms, then compiles in the
        // background), and for the clock to ramp.
        for (var warm = Stopwatch.StartNew(); warm.ElapsedMilliseconds < 400;) Sweep(arc, covariance, nngp, tdot, 1000);
        // Rounds of the transform alternate with the machine's multiply-add rate, the best of each kept: on a shared virtual
        // machine the speed swings from one second to the next, and the ratio of the two must come from the same phase.
        double best = double.PositiveInfinity, fma = 0;
        for (int round = 0; round < 10; round++)
        {
            var clock = Stopwatch.StartNew();
            Sweep(arc, covariance, nngp, tdot, Sweeps);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            fma = Math.Max(fma, MachineBenchmarks.Rate(1));
        }
        double ns = best * 1e9 / ((double)Sweeps * Vectors);
        int cores = Environment.ProcessorCount, positions = side * side;
        // A depth-3 CNTK pair: three transforms of P² covariances; N²/t counts each of the N(N+1)/2 distinct pairs twice.
        double cntkVectorsPerPair = 3.0 * positions * positions / lanes;
        return new BenchFigure(name, ns, "ns/vector", new Dictionary<string, object>
        {
            ["lanes"] = lanes,
            ["one_thread_fma_rate"] = fma,
            // Multiply-adds one thread could have issued in the time of one vector's transform; the transform is about 55
            // vector operations, each taking such a slot, so this over 55 is how far it is from the machine's issue rate.
            ["fma_slots_per_vector"] = ns * fma,
            ["cntk_image"] = $"{side}x{side}",
            ["cntk_ceiling_pairs_per_s"] = 2 * cores / (cntkVectorsPerPair * ns * 1e-9),
            // Three layers over the N(N+1)/2 distinct entries of an FC kernel, counted as N².
            ["fc_ceiling_entries_per_s"] = 2 * cores * lanes / (3 * ns * 1e-9),
        });
    }

    private static void Sweep<T>(ArcCosineVectors<T> arc, T[] covariance, T[] nngp, T[] tdot, int sweeps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // One call per sweep, not one long loop: a method entered once runs on-stack-replaced code, which here kept the
        // pair in stack slots and took twice as long as the optimised code the kernels run.
        for (int s = 0; s < sweeps; s++) SweepOnce(arc, covariance, nngp, tdot);
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // its own inlining budget: the transform must inline completely
    private static void SweepOnce<T>(ArcCosineVectors<T> arc, T[] covariance, T[] nngp, T[] tdot) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T c = ref MemoryMarshal.GetArrayDataReference(covariance);
        ref T k = ref MemoryMarshal.GetArrayDataReference(nngp);
        ref T t = ref MemoryMarshal.GetArrayDataReference(tdot);
        nuint lanes = (nuint)Vector512<T>.Count;
        // Unit variances: √(v1 v2) = 1/√(v1 v2) = 1, so the covariance is the correlation.
        var scaledRoot = Pack2<T>.Splat(Vector512.Create(arc.AbsWeight));
        var inverseRoot = Pack2<T>.Splat(Vector512<T>.One);
        for (nuint at = 0; at < Vectors * lanes; at += 2 * lanes)
        {
            var kOut = arc.Apply(Pack2<T>.Load(ref c, at, lanes), scaledRoot, inverseRoot, out var tOut);
            kOut.Store(ref k, at, lanes);
            tOut.Store(ref t, at, lanes);
        }
    }

    /// <summary>GFLOP/s of the SYRK (2·d flops per entry of the upper triangle) and its share of the machine's multiply-add peak.</summary>
    private static BenchFigure Syrk<T>(string name, int n, int d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(42);
        var x = new T[n * d];
        for (int i = 0; i < x.Length; i++) x[i] = T.CreateTruncating(KernelBenchmarks.Normal(rng));
        var gram = GC.AllocateUninitializedArray<T>(n * n);
        var la = LinearAlgebra.Current;
        la.SyrkUpper(n, d, T.One / T.CreateTruncating(d), x, gram); // warm-up: page faults, BLAS threads
        double seconds = double.PositiveInfinity, rate = 0;
        for (int round = 0; round < 5; round++) // alternated with the multiply-add rate, as in Transform
        {
            var clock = Stopwatch.StartNew();
            la.SyrkUpper(n, d, T.One / T.CreateTruncating(d), x, gram);
            seconds = Math.Min(seconds, clock.Elapsed.TotalSeconds);
            rate = Math.Max(rate, MachineBenchmarks.Rate(Environment.ProcessorCount));
        }
        double gflops = (double)n * (n + 1) * d / seconds / 1e9;
        // The vector multiply-add rate is the same for both precisions; a float vector holds twice the lanes.
        int lanes = Vector512.IsHardwareAccelerated ? 64 / Unsafe.SizeOf<T>() : 32 / Unsafe.SizeOf<T>();
        double peak = rate * lanes * 2;
        return new BenchFigure(name, gflops, "GFLOP/s", new Dictionary<string, object>
        {
            ["seconds"] = seconds, ["n"] = n, ["d"] = d, ["backend"] = la.Name, ["threads"] = Environment.ProcessorCount,
            ["peak_gflops"] = peak, ["fraction_of_peak"] = gflops / peak,
            ["fc_ceiling_entries_per_s"] = (double)n * n / seconds,
        });
    }
}
