using System.Numerics;
using ILGPU;
using ILGPU.Runtime;

namespace Tangent.Gpu;

/// <summary>Device allocations of one computation, freed together; uploads convert host float64 records to precision T.</summary>
internal sealed class DeviceBuffers(Accelerator accelerator) : IDisposable
{
    private readonly List<MemoryBuffer> _owned = [];

    /// <summary>Bytes allocated so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>An uninitialised buffer of <paramref name="length"/> elements (at least one, so views are always valid).</summary>
    public ArrayView<T> Allocate<T>(long length) where T : unmanaged
    {
        var buffer = accelerator.Allocate1D<T>(Math.Max(1, length));
        _owned.Add(buffer);
        Bytes += buffer.LengthInBytes;
        return buffer.View;
    }

    /// <summary>A copy of <paramref name="data"/> on the device.</summary>
    public ArrayView<T> Upload<T>(T[] data) where T : unmanaged
    {
        var view = Allocate<T>(data.Length);
        if (data.Length > 0) view.SubView(0, data.Length).CopyFromCPU(data);
        return view;
    }

    /// <summary>Float64 host values rounded to T on the device.</summary>
    public ArrayView<T> Upload<T>(double[] data) where T : unmanaged, IFloatingPointIeee754<T> =>
        Upload(Array.ConvertAll(data, T.CreateTruncating));

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var b in _owned) b.Dispose();
        _owned.Clear();
    }
}
