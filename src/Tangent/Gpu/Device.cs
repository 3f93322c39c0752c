namespace Tangent.Gpu;

/// <summary>Where Tangent computes kernels: the CPU engines (the default, and the reference) or a CUDA GPU.</summary>
public enum Device
{
    /// <summary>The CPU engines (<see cref="Kernels.AnalyticKernel"/>).</summary>
    Cpu,
    /// <summary>The first CUDA GPU, through ILGPU kernels and, where installed, cuBLAS and cuSOLVER.</summary>
    Cuda,
}

/// <summary>Parsing of device names as the command line spells them.</summary>
public static class DeviceNames
{
    /// <summary>The accepted spellings, for help texts.</summary>
    public static readonly string[] All = ["cpu", "cuda"];

    /// <summary>"cpu" or "cuda" (any case) to a <see cref="Device"/>.</summary>
    /// <exception cref="ArgumentException">Any other name.</exception>
    public static Device Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "cpu" => Device.Cpu,
        "cuda" or "gpu" => Device.Cuda,
        _ => throw new ArgumentException($"unknown device '{name}'; use cpu or cuda"),
    };
}

/// <summary>
/// A CUDA device was asked for but cannot be used: no driver library, no GPU, or the GPU failed to start. The message
/// is one line naming the cause; the command line prints it and exits with code 2.
/// </summary>
public sealed class GpuUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
