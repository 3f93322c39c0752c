using System.Numerics;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Gpu;

/// <summary>
/// Analytic NNGP and NTK kernels on a chosen <see cref="Device"/>, mirroring <see cref="AnalyticKernel"/> (which is what
/// <see cref="Device.Cpu"/> runs). On <see cref="Device.Cuda"/> the layer recursions run as ILGPU kernels compiled to PTX
/// and the Gram matrix through cuBLAS when it is installed. The device covers fully connected networks of Dense, the
/// ReLU family (Relu, LeakyRelu, Abs, ABRelu), Erf, Sigmoid_like, Sign, Identity and LayerNorm, and convolutional
/// networks of Conv (any padding and stride, 1-D or 2-D) and those layers, ending in GlobalAvgPool, GlobalSumPool or
/// Flatten followed by any of those flat layers; other layers are refused with a <see cref="KernelRequestException"/>
/// that says so (use <see cref="Device.Cpu"/>). Results equal the CPU's to rounding: 1e-12 relative in float64, 1e-5 in float32.
/// </summary>
public static class GpuKernel
{
    /// <summary>Kernels between the rows of <paramref name="x1"/> and <paramref name="x2"/> (x1 with itself when null) on <paramref name="device"/>.</summary>
    /// <exception cref="GpuUnavailableException"><paramref name="device"/> is CUDA and no usable GPU is present.</exception>
    /// <exception cref="KernelRequestException">A layer the device does not cover, a result too large, or a kernel that is not finite.</exception>
    public static KernelResult<T> Compute<T>(Architecture architecture, Matrix<T> x1, Matrix<T>? x2 = null, KernelOptions? options = null,
        Device device = Device.Cuda, GpuOptions? gpu = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (device == Device.Cpu) return AnalyticKernel.Compute(architecture, x1, x2, options);
        return Compute(GpuSession.Cuda, architecture, x1, x2, options, gpu);
    }

    /// <summary>Kernels of images or sequences (rows of <paramref name="shape"/>, channels last) on <paramref name="device"/>.</summary>
    /// <exception cref="GpuUnavailableException"><paramref name="device"/> is CUDA and no usable GPU is present.</exception>
    /// <exception cref="KernelRequestException">A layer the device does not cover, a result too large, or a kernel that is not finite.</exception>
    public static KernelResult<T> ComputeImages<T>(Architecture architecture, Matrix<T> x1, TensorShape shape, Matrix<T>? x2 = null,
        KernelOptions? options = null, Device device = Device.Cuda, GpuOptions? gpu = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (device == Device.Cpu) return AnalyticKernel.ComputeImages(architecture, x1, shape, x2, options);
        return ComputeImages(GpuSession.Cuda, architecture, x1, shape, x2, options, gpu);
    }

    /// <summary>
    /// Whether a usable CUDA GPU is present; <paramref name="description"/> names it (and the dense-algebra path) or says why not.
    /// Starts the device on first call.
    /// </summary>
    public static bool IsCudaAvailable(out string description)
    {
        try { description = GpuSession.Cuda.Describe(); return true; }
        catch (GpuUnavailableException e) { description = e.Message; return false; }
    }

    internal static KernelResult<T> Compute<T>(GpuSession session, Architecture architecture, Matrix<T> x1, Matrix<T>? x2, KernelOptions? options, GpuOptions? gpu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(x1);
        options ??= new KernelOptions();
        gpu ??= new GpuOptions();
        if (typeof(T) == typeof(double))
            return (KernelResult<T>)(object)GpuFlatEngine.Compute<double, F64>(session, architecture, (Matrix<double>)(object)x1, (Matrix<double>?)(object?)x2, options, gpu);
        if (typeof(T) == typeof(float))
            return (KernelResult<T>)(object)GpuFlatEngine.Compute<float, F32>(session, architecture, (Matrix<float>)(object)x1, (Matrix<float>?)(object?)x2, options, gpu);
        throw new NotSupportedException("kernels are computed in float64 or float32");
    }

    internal static KernelResult<T> ComputeImages<T>(GpuSession session, Architecture architecture, Matrix<T> x1, TensorShape shape, Matrix<T>? x2,
        KernelOptions? options, GpuOptions? gpu) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(x1);
        if (shape.IsFlat) return Compute(session, architecture, x1, x2, options, gpu);
        options ??= new KernelOptions();
        gpu ??= new GpuOptions();
        if (typeof(T) == typeof(double))
            return (KernelResult<T>)(object)GpuImageEngine.Compute<double, F64>(session, architecture, (Matrix<double>)(object)x1, (Matrix<double>?)(object?)x2, shape, options, gpu);
        if (typeof(T) == typeof(float))
            return (KernelResult<T>)(object)GpuImageEngine.Compute<float, F32>(session, architecture, (Matrix<float>)(object)x1, (Matrix<float>?)(object?)x2, shape, options, gpu);
        throw new NotSupportedException("kernels are computed in float64 or float32");
    }
}
