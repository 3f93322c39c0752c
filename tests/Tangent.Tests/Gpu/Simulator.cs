using Tangent.Gpu;

namespace Tangent.Tests.Gpu;

/// <summary>
/// One ILGPU CPU-accelerator session shared by the GPU tests: the same kernels as on CUDA, compiled once for the whole
/// run (compiling is the slow part on two cores), with small groups so they run quickly.
/// </summary>
internal static class Simulator
{
    private static readonly Lazy<GpuSession> s_session = new(() => GpuSession.CreateCpuSimulator());

    public static GpuSession Session => s_session.Value;
}

/// <summary>Agreement between two results, as the issue states it: max |a − b| / max |b|.</summary>
internal static class Agreement
{
    public static double Relative<T>(ReadOnlySpan<T> actual, ReadOnlySpan<T> expected) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double a = double.CreateTruncating(actual[i]), e = double.CreateTruncating(expected[i]);
            double diff = Math.Abs(a - e);
            maxDiff = double.IsNaN(diff) ? double.PositiveInfinity : Math.Max(maxDiff, diff);
            maxRef = Math.Max(maxRef, Math.Abs(e));
        }
        return maxDiff / Math.Max(maxRef, 1e-300);
    }

    /// <summary>The bars: GPU equals CPU to 1e-12 relative in float64 and 1e-5 in float32.</summary>
    public static double Bar<T>() => typeof(T) == typeof(double) ? 1e-12 : 1e-5;
}
