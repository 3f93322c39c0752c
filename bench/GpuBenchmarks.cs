using Tangent.Gpu;
using Tangent.Linalg;

namespace Tangent.Bench;

/// <summary>
/// The figures of the CUDA device (<c>tangent bench --device cuda</c>), named as in the issue: the goals are
/// neural-tangents' and PyTorch's times on one H200. Each figure also reports its agreement with the CPU engine on a
/// sub-block (or the eigen-residual), so a fast wrong answer shows.
/// </summary>
public static class GpuBenchmarks
{
    private const string Relu3 = "dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense";
    private const string CntkGap3 = "conv(f=3,pad=same,w=1.41,b=0.1) > relu > conv(f=3,pad=same,w=1.41,b=0.1) > relu > conv(f=3,pad=same,w=1.41,b=0.1) > relu > global_avg_pool > dense";

    public static IEnumerable<BenchDefinition> All =>
    [
        new("fc_relu3_n8192_d784_f32", "GPU: FC ReLU depth 3, NTK + NNGP, N=8192, d=784, float32 (goal <= 3.4 ms, neural-tangents on an H200)", FullyConnected),
        new("cntk_gap3_16x16x3_f32", "GPU: CNTK, 3 x conv3x3+ReLU, global average pooling, 1024 images 16x16x3, float32 (goal >= 7.3e4 pairs/s)", () => Convolutional("cntk_gap3_16x16x3_f32", 1024, 16, 64)),
        new("cntk_gap3_32x32x3_f32", "GPU: CNTK, the same on 256 images 32x32x3, float32 (goal >= 4.7e3 pairs/s)", () => Convolutional("cntk_gap3_32x32x3_f32", 256, 32, 16)),
        new("eigh_n8192_f64", "GPU: symmetric eigendecomposition of a random symmetric 8192 x 8192 float64 matrix, cuSOLVER syevd (goal <= 0.55 s, PyTorch on an H200)", Eigen),
    ];

    private static BenchFigure FullyConnected()
    {
        const int n = 8192, d = 784;
        var x = RandomMatrix<float>(n, d, 42);
        var t = GpuMeasurements.FullyConnected(Relu3, x, checkRows: 512, repeats: 10);
        return new BenchFigure("fc_relu3_n8192_d784_f32", t.Seconds * 1000, "ms", new Dictionary<string, object>
        {
            ["seconds"] = t.Seconds, ["entries_per_s"] = (double)n * n / t.Seconds, ["seconds_to_host"] = t.SecondsToHost,
            ["max_rel_diff_vs_cpu"] = t.MaxRelativeDifference, ["n"] = n, ["d"] = d, ["device"] = t.Device, ["goal_ms"] = 3.4,
            ["note"] = "value: inputs uploaded, NNGP and NTK computed and left on the device; seconds_to_host: both 8192x8192 matrices copied to host memory too",
        });
    }

    private static BenchFigure Convolutional(string name, int n, int side, int check)
    {
        var x = RandomMatrix<float>(n, side * side * 3, 42);
        var t = GpuMeasurements.Convolutional(CntkGap3, x, new Tangent.Specs.TensorShape([side, side], 3), check, repeats: 2);
        return new BenchFigure(name, (double)n * n / t.Seconds, "pairs/s", new Dictionary<string, object>
        {
            ["seconds"] = t.Seconds, ["n"] = n, ["image"] = $"{side}x{side}x3", ["max_rel_diff_vs_cpu"] = t.MaxRelativeDifference, ["device"] = t.Device,
        });
    }

    private static BenchFigure Eigen()
    {
        const int n = 8192;
        // A random symmetric matrix (R + Rᵀ)/2: its spectrum (a semicircle) has no clusters that would let the solver deflate early.
        var rng = new Random(7);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
                a[i * n + j] = a[j * n + i] = rng.NextDouble() - 0.5;
        var t = GpuMeasurements.SymmetricEigen(a, n, repeats: 2);
        return new BenchFigure("eigh_n8192_f64", t.Seconds, "s", new Dictionary<string, object>
        {
            ["seconds_with_transfers"] = t.SecondsToHost, ["max_residual"] = t.MaxRelativeDifference, ["n"] = n, ["device"] = t.Device, ["goal_s"] = 0.55,
        });
    }

    private static Matrix<T> RandomMatrix<T>(int rows, int cols, int seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        var m = new Matrix<T>(rows, cols);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = T.CreateTruncating(KernelBenchmarks.Normal(rng));
        return m;
    }
}
