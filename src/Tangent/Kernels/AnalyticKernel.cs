using System.Numerics;
using Tangent.Layers;
using Tangent.Linalg;

namespace Tangent.Kernels;

/// <summary>
/// The exact infinite-width NNGP and NTK of an architecture (NTK parameterisation unless a layer says otherwise), with
/// the conventions of neural-tangents: the input kernel is x·x'/d and kernels are per output channel.
/// </summary>
public static class AnalyticKernel
{
    /// <summary>
    /// Kernels between the rows of <paramref name="x1"/> and those of <paramref name="x2"/> (or of <paramref name="x1"/>
    /// with itself when <paramref name="x2"/> is null, which is about twice as fast and exactly symmetric).
    /// Works in the precision of <typeparamref name="T"/> (float64 or float32).
    /// </summary>
    /// <exception cref="KernelRequestException">The result would not fit in memory, or the kernel is not finite.</exception>
    public static KernelResult<T> Compute<T>(Architecture architecture, Matrix<T> x1, Matrix<T>? x2 = null, KernelOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(x1);
        if (typeof(T) != typeof(double) && typeof(T) != typeof(float))
            throw new NotSupportedException("kernels are computed in float64 or float32");
        return FlatKernelEngine.Compute(architecture, x1, x2, options ?? new KernelOptions());
    }

    /// <summary>
    /// Kernels of images or sequences: each row of <paramref name="x1"/> (and <paramref name="x2"/>) is one example of
    /// <paramref name="shape"/> (H x W x C or L x C, channels last). Flat shapes use the fully connected engine.
    /// </summary>
    public static KernelResult<T> ComputeImages<T>(Architecture architecture, Matrix<T> x1, Specs.TensorShape shape, Matrix<T>? x2 = null, KernelOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(x1);
        if (shape.IsFlat) return Compute(architecture, x1, x2, options);
        if (typeof(T) != typeof(double) && typeof(T) != typeof(float))
            throw new NotSupportedException("kernels are computed in float64 or float32");
        return ImageKernelEngine.Compute(architecture, x1, x2, shape, options ?? new KernelOptions());
    }
}
