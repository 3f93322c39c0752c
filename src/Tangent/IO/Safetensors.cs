using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Tangent.IO;

/// <summary>
/// The .safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}</c>, then the raw
/// little-endian data, offsets counted from the end of the header. Tangent reads F64, F32, F16 and BF16 tensors and
/// writes F64 or F32.
/// </summary>
public static class Safetensors
{
    /// <summary>Headers larger than this are refused before allocation (real headers are kilobytes).</summary>
    private const long MaxHeaderBytes = 100L << 20;

    /// <summary>Reads every tensor of <paramref name="path"/>, keyed by name.</summary>
    /// <exception cref="DataFormatException">Missing file or malformed content; the one-line message names the file (and the tensor).</exception>
    public static IReadOnlyDictionary<string, SafetensorsTensor> Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw new DataFormatException($"{path}: no such file", e); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new DataFormatException($"{path}: cannot read: {e.Message}", e); }
        return Parse(bytes, path);
    }

    /// <summary>Parses the bytes of a .safetensors file; <paramref name="name"/> is used in messages.</summary>
    public static IReadOnlyDictionary<string, SafetensorsTensor> Parse(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < 8) throw new DataFormatException($"{name}: not a .safetensors file (shorter than its 8-byte header length)");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, bytes.Length - 8))
            throw new DataFormatException($"{name}: not a .safetensors file (header length {headerLength} does not fit the file of {bytes.Length} bytes)");
        var data = bytes[(8 + (int)headerLength)..];
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes.Slice(8, (int)headerLength).ToArray()); }
        catch (JsonException e) { throw new DataFormatException($"{name}: malformed .safetensors header: {e.Message}", e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new DataFormatException($"{name}: malformed .safetensors header: not a JSON object");
            var tensors = new Dictionary<string, SafetensorsTensor>(StringComparer.Ordinal);
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                if (!tensors.TryAdd(entry.Name, ReadTensor(entry, data, name)))
                    throw new DataFormatException($"{name}: tensor '{entry.Name}' appears twice in the header");
            }
            return tensors;
        }
    }

    private static SafetensorsTensor ReadTensor(JsonProperty entry, ReadOnlySpan<byte> data, string file)
    {
        string where = $"{file}: tensor '{entry.Name}'";
        var v = entry.Value;
        if (v.ValueKind != JsonValueKind.Object
            || !v.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String
            || !v.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array
            || !v.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array || offEl.GetArrayLength() != 2)
            throw new DataFormatException($"{where}: needs \"dtype\", \"shape\" and \"data_offsets\" [begin, end]");
        string dtype = dtypeEl.GetString()!;
        int size = ElementSize(dtype) ?? throw new DataFormatException($"{where}: element type {dtype} is not a floating-point type Tangent reads (F64, F32, F16, BF16)");
        var shape = new int[shapeEl.GetArrayLength()];
        int i = 0;
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (!d.TryGetInt32(out int dim) || dim < 0) throw new DataFormatException($"{where}: bad shape {shapeEl.GetRawText()}");
            shape[i++] = dim;
        }
        long count = ShapeText.ElementCount(shape);
        if (count < 0) throw new DataFormatException($"{where}: shape {ShapeText.Format(shape)} is too large");
        if (!offEl[0].TryGetInt64(out long begin) || !offEl[1].TryGetInt64(out long end) || begin < 0 || end < begin || end > data.Length)
            throw new DataFormatException($"{where}: data_offsets {offEl.GetRawText()} lie outside the {data.Length} data bytes");
        if (end - begin != count * size)
            throw new DataFormatException($"{where}: data_offsets cover {end - begin} bytes, but {dtype} {ShapeText.Format(shape)} needs {count * size}");
        var raw = data.Slice((int)begin, (int)(end - begin));
        var values = new double[count];
        for (int k = 0; k < values.Length; k++)
        {
            var b = raw.Slice(k * size, size);
            values[k] = dtype switch
            {
                "F64" => BinaryPrimitives.ReadDoubleLittleEndian(b),
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(b),
                "F16" => (double)BinaryPrimitives.ReadHalfLittleEndian(b),
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b) << 16),   // BF16: the top half of a float
            };
        }
        return new SafetensorsTensor(entry.Name, dtype, shape, values);
    }

    private static int? ElementSize(string dtype) => dtype switch
    {
        "F64" => 8,
        "F32" => 4,
        "F16" or "BF16" => 2,
        _ => null,
    };

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> atomically, as F64 or F32 (<paramref name="dtype"/>),
    /// in the given order, the header padded with spaces to a multiple of 8 bytes as the format recommends.
    /// </summary>
    public static void Write(string path, IEnumerable<(string Name, int[] Shape, double[] Data)> tensors, string dtype = "F64")
    {
        if (dtype is not ("F64" or "F32")) throw new ArgumentException($"safetensors are written as F64 or F32, not {dtype}", nameof(dtype));
        int size = dtype == "F64" ? 8 : 4;
        var list = tensors.ToList();
        using var header = new MemoryStream();
        long offset = 0;
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            foreach (var (name, shape, data) in list)
            {
                if (ShapeText.ElementCount(shape) != data.Length) throw new ArgumentException($"tensor '{name}': shape {ShapeText.Format(shape)} does not hold {data.Length} values");
                w.WriteStartObject(name);
                w.WriteString("dtype", dtype);
                w.WriteStartArray("shape");
                foreach (int d in shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + (long)data.Length * size);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += (long)data.Length * size;
            }
            w.WriteEndObject();
        }
        int padded = (int)((header.Length + 7) / 8 * 8);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> eight = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(eight, (ulong)padded);
            stream.Write(eight);
            stream.Write(header.GetBuffer().AsSpan(0, (int)header.Length));
            for (long k = header.Length; k < padded; k++) stream.WriteByte((byte)' ');
            var buffer = new byte[1 << 16];
            foreach (var (_, _, data) in list)
            {
                int filled = 0;
                foreach (double x in data)
                {
                    if (filled + size > buffer.Length) { stream.Write(buffer, 0, filled); filled = 0; }
                    if (size == 8) BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(filled), x);
                    else BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(filled), (float)x);
                    filled += size;
                }
                stream.Write(buffer, 0, filled);
            }
        });
    }
}
