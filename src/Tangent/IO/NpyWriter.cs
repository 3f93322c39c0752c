namespace Tangent.IO;

/// <summary>Writes C-order float64 or float32 arrays as .npy version 1.0, byte-identical to <c>np.save</c>.</summary>
internal static class NpyWriter
{
    /// <summary>Writes the file atomically (see <see cref="AtomicFile"/>).</summary>
    public static void Write<T>(string path, ReadOnlySpan<T> data, int[] shape) where T : unmanaged
    {
        byte[] preamble = Preamble(data, shape);
        using PendingFile file = PendingFile.Create(path);
        file.Stream.Write(preamble);
        NpyData.Write(file.Stream, data);
        file.Commit();
    }

    /// <summary>Writes the whole .npy content to <paramref name="stream"/>; <paramref name="chunkBytes"/> for tests.</summary>
    public static void Write<T>(Stream stream, ReadOnlySpan<T> data, int[] shape, int? chunkBytes = null) where T : unmanaged
    {
        stream.Write(Preamble(data, shape));
        NpyData.Write(stream, data, chunkBytes);
    }

    /// <summary>Validates the shape against the data (before any file is created) and encodes the header.</summary>
    private static byte[] Preamble<T>(ReadOnlySpan<T> data, int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = ShapeText.ElementCount(shape);
        if (count != data.Length)
            throw new ArgumentException($"shape {ShapeText.Format(shape)} does not match {data.Length} elements", nameof(shape));
        string descr = typeof(T) == typeof(double) ? "<f8"
            : typeof(T) == typeof(float) ? "<f4"
            : throw new NotSupportedException($".npy writing supports double and float, not {typeof(T).Name}");
        return NpyHeader.Encode(descr, shape);
    }
}
