using System.Buffers.Binary;
using System.IO.Compression;

namespace Tangent.IO;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST (<c>train-images-idx3-ubyte</c>, gzipped or not): a big-endian header
/// (two zero bytes, a type code, the rank, then each dimension as a 32-bit integer) followed by the data in C order.
/// Image files [N, H, W] gain a channel axis, [N, H, W, 1], so they read as NHWC images.
/// </summary>
public static class Idx
{
    /// <summary>Reads an IDX file; gzip is detected from its magic bytes, not the name.</summary>
    public static NdArray Read(string path)
    {
        using var file = InputFile.OpenRead(path);
        Stream stream = file;
        if (IsGzip(file)) stream = new GZipStream(file, CompressionMode.Decompress);
        try
        {
            return Read(stream, path);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new DataFormatException($"{path}: not a valid (gzipped) IDX file: {e.Message.Split('\n')[0]}");
        }
        finally
        {
            if (!ReferenceEquals(stream, file)) stream.Dispose();
        }
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int n = file.Read(magic);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static NdArray Read(Stream s, string path)
    {
        Span<byte> header = stackalloc byte[4];
        s.ReadExactly(header);
        if (header[0] != 0 || header[1] != 0) throw new DataFormatException($"{path}: not an IDX file (bad magic)");
        byte type = header[2];
        int rank = header[3];
        if (rank is < 1 or > 8) throw new DataFormatException($"{path}: IDX rank {rank} is not supported");
        (int size, ElementType element) = type switch
        {
            0x08 => (1, ElementType.UInt8),
            0x09 => (1, ElementType.Int8),
            0x0B => (2, ElementType.Int16),
            0x0C => (4, ElementType.Int32),
            0x0D => (4, ElementType.Float32),
            0x0E => (8, ElementType.Float64),
            _ => throw new DataFormatException($"{path}: unknown IDX element type 0x{type:X2}"),
        };
        var dims = new int[rank];
        Span<byte> four = stackalloc byte[4];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            s.ReadExactly(four);
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(four);
            if (dims[i] < 0) throw new DataFormatException($"{path}: negative dimension in IDX header");
            count *= dims[i];
        }
        if (count > Array.MaxLength) throw new DataFormatException($"{path}: {count:N0} elements are more than one array holds");
        var data = new double[count];
        var buffer = new byte[Math.Min(count * size, 1 << 20)];
        long done = 0;
        while (done < count)
        {
            int take = (int)Math.Min(buffer.Length / size, count - done);
            int bytes = take * size;
            int got = s.ReadAtLeast(buffer.AsSpan(0, bytes), bytes, throwOnEndOfStream: false);
            if (got < bytes) throw new DataFormatException($"{path}: truncated IDX data: expected {count * size} bytes, found {done * size + got}");
            for (int i = 0; i < take; i++)
            {
                var b = buffer.AsSpan(i * size, size);
                data[done + i] = type switch
                {
                    0x08 => b[0],
                    0x09 => (sbyte)b[0],
                    0x0B => BinaryPrimitives.ReadInt16BigEndian(b),
                    0x0C => BinaryPrimitives.ReadInt32BigEndian(b),
                    0x0D => BinaryPrimitives.ReadSingleBigEndian(b),
                    _ => BinaryPrimitives.ReadDoubleBigEndian(b),
                };
            }
            done += take;
        }
        int[] shape = rank == 3 ? [dims[0], dims[1], dims[2], 1] : dims;
        return new NdArray(shape, data, element);
    }

    /// <summary>Whether a file name looks like IDX (<c>*-idx3-ubyte</c>, <c>.idx</c>, optionally <c>.gz</c>).</summary>
    public static bool LooksLikeIdx(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".gz")) name = name[..^3];
        return name.EndsWith(".idx") || name.Contains("-idx") || name.Contains(".idx") || name.EndsWith("-ubyte");
    }
}
