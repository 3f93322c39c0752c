using System.Diagnostics;
using System.Numerics;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Gpu;

/// <summary>One timed device computation: the best wall time, the time with results copied to host memory where that differs, and a check against the CPU.</summary>
public sealed record GpuTiming(double Seconds, double SecondsToHost, double MaxRelativeDifference, string Device);

/// <summary>
/// Timed runs of the device paths for <c>tangent bench --device cuda</c>. Each runs once to compile its kernels (PTX to
/// machine code on first launch) and start cuBLAS, then takes the best of a few runs, and checks a sub-block of its
/// result against the CPU engine (the figure is worthless if the numbers are wrong).
/// </summary>
public static class GpuMeasurements
{
    /// <summary>
    /// The fully connected kernel of <paramref name="spec"/> on <paramref name="x"/> with itself. Seconds: inputs uploaded,
    /// NNGP and NTK computed and left on the device (how neural-tangents' GPU figure is taken); SecondsToHost: the whole
    /// library call with both matrices copied into host memory.
    /// </summary>
    public static GpuTiming FullyConnected<T>(string spec, Matrix<T> x, int checkRows, int repeats) where T : unmanaged, IFloatingPointIeee754<T> =>
        FullyConnected(GpuSession.Cuda, spec, x, checkRows, repeats);

    internal static GpuTiming FullyConnected<T>(GpuSession session, string spec, Matrix<T> x, int checkRows, int repeats) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var arch = Architecture.Parse(spec);
        var options = new KernelOptions();
        var gpu = new GpuOptions();
        KernelResult<T> Run(bool toHost) => typeof(T) == typeof(double)
            ? (KernelResult<T>)(object)GpuFlatEngine.Compute<double, F64>(session, arch, (Matrix<double>)(object)x, null, options, gpu, toHost)
            : (KernelResult<T>)(object)GpuFlatEngine.Compute<float, F32>(session, arch, (Matrix<float>)(object)x, null, options, gpu, toHost);
        double onDevice = Best(() => Run(false), repeats);
        double toHost = Best(() => Run(true), Math.Max(1, repeats / 2));
        var sub = Rows(x, checkRows);
        double diff = Difference(GpuKernel.Compute(session, arch, sub, null, options, gpu), AnalyticKernel.Compute(arch, sub));
        return new GpuTiming(onDevice, toHost, diff, session.Describe());
    }

    /// <summary>The convolutional kernel of <paramref name="spec"/> on images <paramref name="x"/> with themselves (one value per pair comes back, so Seconds is the whole call).</summary>
    public static GpuTiming Convolutional<T>(string spec, Matrix<T> x, TensorShape shape, int checkImages, int repeats) where T : unmanaged, IFloatingPointIeee754<T> =>
        Convolutional(GpuSession.Cuda, spec, x, shape, checkImages, repeats);

    internal static GpuTiming Convolutional<T>(GpuSession session, string spec, Matrix<T> x, TensorShape shape, int checkImages, int repeats) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var arch = Architecture.Parse(spec);
        var small = Rows(x, Math.Min(4, x.Rows));
        GpuKernel.ComputeImages(session, arch, small, shape, null, null, null); // compile the kernels outside the timing
        double seconds = Best(() => GpuKernel.ComputeImages(session, arch, x, shape, null, null, null), repeats, warm: false);
        var sub = Rows(x, checkImages);
        double diff = Difference(GpuKernel.ComputeImages(session, arch, sub, shape, null, null, null), AnalyticKernel.ComputeImages(arch, sub, shape));
        return new GpuTiming(seconds, seconds, diff, session.Describe());
    }

    /// <summary>
    /// The symmetric eigendecomposition of <paramref name="a"/> (n x n). Seconds: cuSOLVER alone, matrix on the device;
    /// SecondsToHost: with the transfers and the host transpose. The check is the largest residual ‖A v − λ v‖ / ‖A‖ over a few eigenpairs.
    /// </summary>
    public static GpuTiming SymmetricEigen(double[] a, int n, int repeats) => SymmetricEigen(GpuSession.Cuda, a, n, repeats);

    internal static GpuTiming SymmetricEigen(GpuSession session, double[] a, int n, int repeats)
    {
        double best = double.PositiveInfinity, bestTotal = double.PositiveInfinity, residual = 0;
        for (int r = 0; r <= repeats; r++)
        {
            var copy = (double[])a.Clone();
            var w = new double[n];
            var clock = Stopwatch.StartNew();
            double solver = GpuLinearAlgebra.SymmetricEigen(session, n, copy, w);
            double total = clock.Elapsed.TotalSeconds;
            if (r == 0) { residual = Residual(a, n, copy, w); continue; } // the first run starts cuSOLVER
            best = Math.Min(best, solver);
            bestTotal = Math.Min(bestTotal, total);
        }
        return new GpuTiming(best, bestTotal, residual, session.Describe());
    }

    private static double Residual(double[] a, int n, double[] v, double[] w)
    {
        double norm = 0;
        for (int i = 0; i < n; i++) norm = Math.Max(norm, Math.Abs(w[i]));
        double worst = 0;
        foreach (int k in new[] { 0, n / 2, n - 1 })
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++) s += a[i * n + j] * v[j * n + k];
                worst = Math.Max(worst, Math.Abs(s - w[k] * v[i * n + k]) / Math.Max(norm, 1e-300));
            }
        return worst;
    }

    private static double Best(Action run, int repeats, bool warm = true)
    {
        if (warm) run();
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

    private static Matrix<T> Rows<T>(Matrix<T> x, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        rows = Math.Min(rows, x.Rows);
        return new Matrix<T>(rows, x.Cols, x.Data[..(rows * x.Cols)]);
    }

    private static double Difference<T>(KernelResult<T> gpu, KernelResult<T> cpu) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double worst = 0;
        foreach (var (g, c) in new[] { (gpu.Nngp.Data, cpu.Nngp.Data), (gpu.Ntk!.Data, cpu.Ntk!.Data) })
        {
            double diff = 0, scale = 0;
            for (int i = 0; i < c.Length; i++)
            {
                double d = Math.Abs(double.CreateTruncating(g[i]) - double.CreateTruncating(c[i]));
                diff = double.IsNaN(d) ? double.PositiveInfinity : Math.Max(diff, d);
                scale = Math.Max(scale, Math.Abs(double.CreateTruncating(c[i])));
            }
            worst = Math.Max(worst, diff / Math.Max(scale, 1e-300));
        }
        return worst;
    }
}
