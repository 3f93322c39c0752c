using System.Buffers.Binary;
using System.Text;

namespace Tangent.IO;

/// <summary>Reads a .npy stream: the preamble and header, then the data (see <see cref="NpyData"/>).</summary>
internal static class NpyReader
{
    /// <summary>
    /// Headers longer than this are refused before allocating them: numpy's own headers are a few hundred
    /// bytes, so a larger length means a corrupt or hostile file, not a real array.
    /// </summary>
    private const int MaxHeaderBytes = 1 << 20;

    /// <summary>Reads one array; <paramref name="chunkBytes"/> overrides the data chunk size (for tests).</summary>
    public static NdArray Read(Stream stream, string name, int? chunkBytes = null)
    {
        Span<byte> preamble = stackalloc byte[8];
        if (stream.ReadAtLeast(preamble, preamble.Length, throwOnEndOfStream: false) < preamble.Length || !preamble[..6].SequenceEqual(NpyHeader.Magic))
            throw new DataFormatException($"{name}: not a .npy file (bad magic)");

        int major = preamble[6], minor = preamble[7];
        // 1.0: 2-byte header length, Latin-1 text. 2.0: 4-byte length. 3.0: 4-byte length, UTF-8 text.
        int lengthSize = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw new DataFormatException($"{name}: unsupported .npy format version {major}.{minor}"),
        };
        Span<byte> lengthBytes = stackalloc byte[lengthSize];
        ReadHeaderPart(stream, lengthBytes, name);
        long headerLength = lengthSize == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes) throw new DataFormatException($"{name}: malformed .npy header: it claims {headerLength} bytes");

        var headerBytes = new byte[headerLength];
        ReadHeaderPart(stream, headerBytes, name);
        string text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        NpyHeader header = NpyHeader.Parse(text, name);
        NpyDtype dtype = NpyDtype.Parse(header.Descr, name);

        long count = ShapeText.ElementCount(header.Shape);
        if (count < 0)
            throw new DataFormatException($"{name}: shape {ShapeText.Format(header.Shape)} has more than {int.MaxValue} elements, more than Tangent can hold in one array");

        var data = GC.AllocateUninitializedArray<double>((int)count);
        NpyData.Read(stream, dtype, data, name, chunkBytes);
        if (header.FortranOrder) data = FortranOrder.ToC(data, header.Shape);
        return new NdArray(header.Shape, data, dtype.Type);
    }

    private static void ReadHeaderPart(Stream stream, Span<byte> buffer, string name)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
            throw new DataFormatException($"{name}: truncated .npy header");
    }
}
