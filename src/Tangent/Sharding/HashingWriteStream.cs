namespace Tangent.Sharding;

/// <summary>
/// A write-only stream that passes bytes on to another stream and hashes them on the way, so a tile's checksum is
/// computed from exactly the bytes written, without reading the file back.
/// </summary>
internal sealed class HashingWriteStream(Stream inner) : Stream
{
    private readonly ContentHash.Incremental _hash = new();
    private long _length;

    /// <summary>The hash of the bytes written so far.</summary>
    public string Hash => _hash.Hex();

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten => _length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        _hash.Append(buffer);
        _length += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override void WriteByte(byte value) => Write([value]);
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
