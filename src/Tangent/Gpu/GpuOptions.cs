namespace Tangent.Gpu;

/// <summary>Device-side settings of a GPU kernel computation (the shared ones are in <see cref="Kernels.KernelOptions"/>).</summary>
public sealed class GpuOptions
{
    /// <summary>
    /// Bytes of device memory the computation may use for its working buffers; null for 80 % of what the device has
    /// free. Kernels larger than this are computed in panels of rows (flat) or batches of pairs (images).
    /// </summary>
    public long? DeviceMemoryLimitBytes { get; init; }

    /// <summary>Pairs of images per batch on the device; null to size batches from the memory limit.</summary>
    public int? ImagePairBatch { get; init; }
}
