using System.Buffers.Binary;
using System.Text;

namespace Tangent.Tests.IO;

/// <summary>
/// Builds .npy files byte by byte, independently of the code under test, following numpy's format spec:
/// magic, version, little-endian header length, the dict text padded with spaces and a newline to a
/// multiple of 64 bytes, then the raw data.
/// </summary>
internal static class NpyBytes
{
    public static byte[] File(string dict, byte[] data, byte major = 1)
    {
        int lengthSize = major == 1 ? 2 : 4;
        int prefix = 8 + lengthSize;
        int headerLength = dict.Length + 1;
        while ((prefix + headerLength) % 64 != 0) headerLength++;

        var bytes = new List<byte>();
        bytes.AddRange([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0]);
        if (lengthSize == 2) bytes.AddRange([(byte)(headerLength & 0xFF), (byte)(headerLength >> 8)]);
        else bytes.AddRange(BitConverter.GetBytes((uint)headerLength)); // tests run on little-endian machines
        bytes.AddRange(Encoding.Latin1.GetBytes(dict.PadRight(headerLength - 1)));
        bytes.Add((byte)'\n');
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    public static byte[] Float64Le(params double[] values) => Each(values, 8, (s, v) => BinaryPrimitives.WriteDoubleLittleEndian(s, v));
    public static byte[] Float64Be(params double[] values) => Each(values, 8, (s, v) => BinaryPrimitives.WriteDoubleBigEndian(s, v));
    public static byte[] Float32Le(params float[] values) => Each(values, 4, (s, v) => BinaryPrimitives.WriteSingleLittleEndian(s, v));
    public static byte[] Float32Be(params float[] values) => Each(values, 4, (s, v) => BinaryPrimitives.WriteSingleBigEndian(s, v));
    public static byte[] Int64Le(params long[] values) => Each(values, 8, (s, v) => BinaryPrimitives.WriteInt64LittleEndian(s, v));
    public static byte[] Int32Be(params int[] values) => Each(values, 4, (s, v) => BinaryPrimitives.WriteInt32BigEndian(s, v));
    public static byte[] Int16Le(params short[] values) => Each(values, 2, (s, v) => BinaryPrimitives.WriteInt16LittleEndian(s, v));

    private delegate void Put<T>(Span<byte> target, T value);

    private static byte[] Each<T>(T[] values, int size, Put<T> put)
    {
        var bytes = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++) put(bytes.AsSpan(i * size, size), values[i]);
        return bytes;
    }
}
