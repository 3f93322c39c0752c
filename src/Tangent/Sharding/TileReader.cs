using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Tangent.IO;

namespace Tangent.Sharding;

/// <summary>
/// Reads tiles of one store into a buffer it reuses (no allocation per tile once the first full tile is read), and
/// verifies each one: the record, the file size, the XXH128 of the whole file, and the .npy header's dtype and shape.
/// A tile that fails any check raises <see cref="DataFormatException"/> naming the tile and the shard to rerun.
/// Not thread-safe: use one reader per thread.
/// </summary>
public sealed class TileReader(TileStore store)
{
    private byte[] _buffer = [];

    /// <summary>The store read from.</summary>
    public TileStore Store { get; } = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Total bytes read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Reads and verifies tile <paramref name="t"/>. The view is valid until the next call.</summary>
    /// <exception cref="DataFormatException">The tile is missing or fails a check; the message names the shard to rerun.</exception>
    public TileView Read(TileIndex t)
    {
        var state = Store.Inspect(t);
        if (state.Kind == TileStateKind.Missing)
            throw new DataFormatException($"{Store.Directory}: tile {t.Name} has not been computed; run shard {Store.ShardOf(t)}");
        try { return Load(t, state); }
        catch (BadTile e) { throw Store.Corrupt(t, e.Message); }
    }

    /// <summary>
    /// Reads and verifies tile <paramref name="t"/> if it is there; false with the reason when it is missing or fails a
    /// check (<paramref name="problem"/> is null when it is simply missing).
    /// </summary>
    public bool TryRead(TileIndex t, out TileView? view, out string? problem)
    {
        view = null;
        problem = null;
        var state = Store.Inspect(t);
        if (state.Kind == TileStateKind.Missing) return false;
        try
        {
            view = Load(t, state);
            return true;
        }
        catch (BadTile e)
        {
            problem = e.Message;
            return false;
        }
    }

    private TileView Load(TileIndex t, TileState state)
    {
        if (state.Kind == TileStateKind.Broken) throw new BadTile(state.Problem!);
        var record = state.Record!;
        if (record.Bytes > Array.MaxLength) throw new BadTile("its record claims more bytes than one tile can hold");
        int length = (int)record.Bytes;
        if (_buffer.Length < length) _buffer = GC.AllocateUninitializedArray<byte>(length);
        Span<byte> bytes = _buffer.AsSpan(0, length);
        ReadAll(Store.TilePath(t), bytes);
        BytesRead += length;
        if (ContentHash.Of(bytes) != record.Xxh128) throw new BadTile("checksum mismatch");
        int offset = DataOffset(bytes, t);
        var (rows, cols) = Store.ShapeOf(t);
        if ((long)rows * cols * Store.Manifest.ElementSize != length - offset) throw new BadTile("data size does not match its shape");
        return new TileView(t, rows, cols, _buffer, offset, length - offset, Store.Manifest.ElementSize == 4);
    }

    /// <summary>Checks the .npy header (written by Tangent: C order, little-endian, the store's dtype and the tile's shape) and returns where the data starts.</summary>
    private int DataOffset(ReadOnlySpan<byte> bytes, TileIndex t)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(NpyHeader.Magic)) throw new BadTile("not a .npy file");
        int major = bytes[6];
        int lengthSize = major == 1 ? 2 : major is 2 or 3 ? 4 : throw new BadTile($".npy version {major}");
        long headerLength = lengthSize == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        long offset = 8 + lengthSize + headerLength;
        if (offset > bytes.Length) throw new BadTile("truncated header");
        NpyHeader header;
        try { header = NpyHeader.Parse(Encoding.Latin1.GetString(bytes[(8 + lengthSize)..(int)offset]), t.Name); }
        catch (DataFormatException e) { throw new BadTile(e.Message); }
        string descr = Store.Manifest.ElementSize == 4 ? "<f4" : "<f8";
        var (rows, cols) = Store.ShapeOf(t);
        if (header.Descr != descr || header.FortranOrder || header.Shape.Length != 2 || header.Shape[0] != rows || header.Shape[1] != cols)
            throw new BadTile($"its header says {header.Descr} {ShapeText.Format(header.Shape)}, expected {descr} [{rows}, {cols}]");
        return (int)offset;
    }

    private static void ReadAll(string path, Span<byte> destination)
    {
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            long position = 0;
            while (position < destination.Length)
            {
                int n = RandomAccess.Read(handle, destination[(int)position..], position);
                if (n == 0) throw new BadTile("file shorter than its record says");
                position += n;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadTile("cannot read: " + e.Message.Split('\n')[0]);
        }
    }

    /// <summary>A failed check, caught inside the reader and turned into the caller's error.</summary>
    private sealed class BadTile(string why) : Exception(why);
}

/// <summary>A verified tile's values, borrowed from a <see cref="TileReader"/>'s buffer until its next read.</summary>
public sealed class TileView
{
    private readonly byte[] _buffer;
    private readonly int _offset, _length;

    internal TileView(TileIndex index, int rows, int cols, byte[] buffer, int offset, int length, bool isFloat32)
    {
        Index = index; Rows = rows; Cols = cols; _buffer = buffer; _offset = offset; _length = length; IsFloat32 = isFloat32;
    }

    /// <summary>Which tile.</summary>
    public TileIndex Index { get; }
    /// <summary>Kernel rows in the tile.</summary>
    public int Rows { get; }
    /// <summary>Kernel columns in the tile.</summary>
    public int Cols { get; }
    /// <summary>True when the values are float32.</summary>
    public bool IsFloat32 { get; }

    /// <summary>The float64 values, row-major (only when not <see cref="IsFloat32"/>).</summary>
    public ReadOnlySpan<double> Float64 => IsFloat32 ? throw new InvalidOperationException("a float32 tile") : MemoryMarshal.Cast<byte, double>(_buffer.AsSpan(_offset, _length));

    /// <summary>The float32 values, row-major (only when <see cref="IsFloat32"/>).</summary>
    public ReadOnlySpan<float> Float32 => IsFloat32 ? MemoryMarshal.Cast<byte, float>(_buffer.AsSpan(_offset, _length)) : throw new InvalidOperationException("a float64 tile");

    /// <summary>The raw little-endian values as stored.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(_offset, _length);

    /// <summary>Copies the values into <paramref name="destination"/> as float64 (widening float32 exactly).</summary>
    public void CopyTo(Span<double> destination)
    {
        if (IsFloat32) System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<float, double>(Float32, destination);
        else Float64.CopyTo(destination);
    }
}
