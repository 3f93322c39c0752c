using System.Buffers;
using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tangent.IO;

/// <summary>
/// Moves the data section of a .npy file between a stream and a span, chunk by chunk. Chunking keeps
/// memory flat (no byte[] of a 3 GB kernel) and keeps every span under the 2^31-byte limit of
/// <see cref="MemoryMarshal.AsBytes{T}(Span{T})"/>, so arrays of more than 2 GB go through unchanged.
/// </summary>
internal static class NpyData
{
    /// <summary>Bytes moved per read or write call when the data needs no conversion.</summary>
    public const int DirectChunkBytes = 64 << 20;

    /// <summary>Bytes converted per step otherwise: small enough to stay in cache between read and convert.</summary>
    public const int ConvertChunkBytes = 1 << 20;

    /// <summary>
    /// Reads <c>destination.Length</c> elements of type <paramref name="dtype"/> from <paramref name="stream"/>
    /// into <paramref name="destination"/> as doubles. Throws <see cref="DataFormatException"/> if the
    /// stream ends early. <paramref name="chunkBytes"/> overrides both chunk sizes (tests use tiny ones).
    /// </summary>
    public static void Read(Stream stream, NpyDtype dtype, Span<double> destination, string name, int? chunkBytes = null)
    {
        var progress = new Progress(name, (long)destination.Length * dtype.ItemSize);
        if (dtype.Type == ElementType.Float64)
        {
            // The common case, and the big one: bytes go straight into the result, no copy, no parsing.
            int chunk = Math.Max(1, (chunkBytes ?? DirectChunkBytes) / sizeof(double));
            // Advance by the slice taken, never past the end: "start += chunk" would overflow int for arrays
            // near the 2^31-element limit.
            for (int start = 0, n; start < destination.Length; start += n)
            {
                n = Math.Min(chunk, destination.Length - start);
                Span<byte> bytes = MemoryMarshal.AsBytes(destination.Slice(start, n));
                progress.ReadExactly(stream, bytes);
                if (dtype.Swap) SwapInPlace(bytes, sizeof(double));
            }
            return;
        }

        int perChunk = Math.Max(1, (chunkBytes ?? ConvertChunkBytes) / dtype.ItemSize);
        byte[] scratch = ArrayPool<byte>.Shared.Rent(Math.Min(perChunk, Math.Max(destination.Length, 1)) * dtype.ItemSize);
        try
        {
            for (int start = 0, n; start < destination.Length; start += n)
            {
                n = Math.Min(perChunk, destination.Length - start);
                Span<byte> raw = scratch.AsSpan(0, n * dtype.ItemSize);
                progress.ReadExactly(stream, raw);
                Widen(raw, dtype, destination.Slice(start, n));
            }
        }
        finally { ArrayPool<byte>.Shared.Return(scratch); }
    }

    /// <summary>Writes <paramref name="data"/> in little-endian order, as the <c>&lt;f8</c>/<c>&lt;f4</c> descr promises.</summary>
    public static void Write<T>(Stream stream, ReadOnlySpan<T> data, int? chunkBytes = null) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if (BitConverter.IsLittleEndian)
        {
            int chunk = Math.Max(1, (chunkBytes ?? DirectChunkBytes) / size);
            for (int start = 0, n; start < data.Length; start += n)
            {
                n = Math.Min(chunk, data.Length - start);
                stream.Write(MemoryMarshal.AsBytes(data.Slice(start, n)));
            }
            return;
        }

        // Big-endian machines: swap a copy, chunk by chunk, never the caller's data.
        int perChunk = Math.Max(1, (chunkBytes ?? ConvertChunkBytes) / size);
        T[] scratch = ArrayPool<T>.Shared.Rent(Math.Min(perChunk, Math.Max(data.Length, 1)));
        try
        {
            for (int start = 0, n; start < data.Length; start += n)
            {
                n = Math.Min(perChunk, data.Length - start);
                Span<T> copy = scratch.AsSpan(0, n);
                data.Slice(start, n).CopyTo(copy);
                Span<byte> bytes = MemoryMarshal.AsBytes(copy);
                SwapInPlace(bytes, size);
                stream.Write(bytes);
            }
        }
        finally { ArrayPool<T>.Shared.Return(scratch); }
    }

    /// <summary>Converts raw elements of a type other than float64 (byte-swapped in place if needed) to doubles.</summary>
    private static void Widen(Span<byte> raw, NpyDtype dtype, Span<double> destination)
    {
        switch (dtype.Type)
        {
            case ElementType.Float32: TensorPrimitives.ConvertTruncating<float, double>(Native<float>(raw, dtype.Swap), destination); break;
            case ElementType.Int64: TensorPrimitives.ConvertTruncating<long, double>(Native<long>(raw, dtype.Swap), destination); break;
            case ElementType.Int32: TensorPrimitives.ConvertTruncating<int, double>(Native<int>(raw, dtype.Swap), destination); break;
            case ElementType.Int16: TensorPrimitives.ConvertTruncating<short, double>(Native<short>(raw, dtype.Swap), destination); break;
            case ElementType.UInt8: TensorPrimitives.ConvertTruncating<byte, double>(raw, destination); break;
            case ElementType.Int8: TensorPrimitives.ConvertTruncating<sbyte, double>(MemoryMarshal.Cast<byte, sbyte>(raw), destination); break;
            case ElementType.Bool:
                // numpy stores bools as 0/1 bytes; read any non-zero byte as true, as numpy does.
                for (int i = 0; i < raw.Length; i++) destination[i] = raw[i] != 0 ? 1.0 : 0.0;
                break;
            default: throw new InvalidOperationException($"no conversion for {dtype.Type}");
        }
    }

    /// <summary>Views <paramref name="raw"/> as elements of <typeparamref name="T"/>, first reversing each one's bytes if the file's order is not ours.</summary>
    private static ReadOnlySpan<T> Native<T>(Span<byte> raw, bool swap) where T : unmanaged
    {
        if (swap) SwapInPlace(raw, Unsafe.SizeOf<T>());
        return MemoryMarshal.Cast<byte, T>(raw);
    }

    /// <summary>Reverses the bytes of each <paramref name="size"/>-byte element of <paramref name="raw"/> (vectorised by the runtime).</summary>
    private static void SwapInPlace(Span<byte> raw, int size)
    {
        switch (size)
        {
            case 2: { Span<ushort> v = MemoryMarshal.Cast<byte, ushort>(raw); BinaryPrimitives.ReverseEndianness(v, v); break; }
            case 4: { Span<uint> v = MemoryMarshal.Cast<byte, uint>(raw); BinaryPrimitives.ReverseEndianness(v, v); break; }
            case 8: { Span<ulong> v = MemoryMarshal.Cast<byte, ulong>(raw); BinaryPrimitives.ReverseEndianness(v, v); break; }
            default: throw new ArgumentOutOfRangeException(nameof(size));
        }
    }

    /// <summary>Counts the bytes read so far so that a short file can say how short it is.</summary>
    private sealed class Progress(string name, long expected)
    {
        private long _done;

        public void ReadExactly(Stream stream, Span<byte> buffer)
        {
            int got = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            _done += got;
            if (got < buffer.Length)
                throw new DataFormatException($"{name}: truncated data: expected {expected} bytes after the header, found {_done}");
        }
    }
}
