using Tangent.IO;
using Xunit;

namespace Tangent.Tests.IO;

/// <summary>
/// The chunked paths that multi-gigabyte arrays take, exercised on small arrays with tiny chunks, and
/// through a stream that returns fewer bytes than asked, as pipes and network streams do.
/// </summary>
public class NpyChunkingTests
{
    [Theory]
    [InlineData(8)]     // one double per chunk
    [InlineData(24)]    // chunks that do not divide the data
    [InlineData(1 << 20)]
    public void Float64ThroughSmallChunksAndShortReads(int chunkBytes)
    {
        double[] data = Enumerable.Range(0, 1001).Select(i => i * 0.5 - 100).ToArray();
        var file = new MemoryStream();
        NpyWriter.Write(file, new ReadOnlySpan<double>(data), [7, 11, 13], chunkBytes);

        NdArray back = NpyReader.Read(new TrickleStream(file.ToArray(), 5), "t.npy", chunkBytes);
        Assert.Equal([7, 11, 13], back.Shape);
        Assert.Equal(data, back.Data);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(12)]
    public void ConvertedTypesThroughSmallChunks(int chunkBytes)
    {
        float[] floats = Enumerable.Range(0, 333).Select(i => i / 3f).ToArray();
        var file = new MemoryStream();
        NpyWriter.Write(file, new ReadOnlySpan<float>(floats), [333], chunkBytes);
        NdArray back = NpyReader.Read(new TrickleStream(file.ToArray(), 3), "t.npy", chunkBytes);
        Assert.Equal(floats.Select(f => (double)f), back.Data);

        byte[] be = NpyBytes.File("{'descr': '>f8', 'fortran_order': False, 'shape': (5,), }", NpyBytes.Float64Be(1, 2, 3, 4, 5));
        Assert.Equal([1.0, 2, 3, 4, 5], NpyReader.Read(new TrickleStream(be, 7), "t.npy", chunkBytes).Data);
    }

    [Fact]
    public void EmptyArrayNeedsNoData()
    {
        var file = new MemoryStream();
        NpyWriter.Write(file, ReadOnlySpan<float>.Empty, [0, 3], 4);
        NdArray back = NpyReader.Read(new MemoryStream(file.ToArray()), "e.npy", 4);
        Assert.Equal([0, 3], back.Shape);
        Assert.Equal(ElementType.Float32, back.SourceType);
    }

    /// <summary>A read-only, non-seekable stream that hands out at most <c>max</c> bytes per read.</summary>
    private sealed class TrickleStream(byte[] bytes, int max) : Stream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(max, buffer.Length), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
