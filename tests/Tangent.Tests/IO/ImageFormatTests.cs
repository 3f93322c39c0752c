using System.Buffers.Binary;
using System.IO.Compression;
using Tangent.IO;

namespace Tangent.Tests.IO;

public class ImageFormatTests
{
    private static byte[] IdxImages(int n, int h, int w, Func<int, byte> pixel)
    {
        var bytes = new byte[16 + n * h * w];
        bytes[2] = 0x08; bytes[3] = 3;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), n);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), h);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), w);
        for (int i = 0; i < n * h * w; i++) bytes[16 + i] = pixel(i);
        return bytes;
    }

    [Fact]
    public void IdxImagesReadAsNhwcPlainAndGzipped()
    {
        using var dir = new TempDir();
        var bytes = IdxImages(3, 4, 5, i => (byte)(i * 7 % 256));
        string plain = dir.File("train-images-idx3-ubyte");
        File.WriteAllBytes(plain, bytes);
        string gz = dir.File("train-images-idx3-ubyte.gz");
        using (var f = File.Create(gz)) using (var z = new GZipStream(f, CompressionLevel.Fastest)) z.Write(bytes);
        foreach (var path in new[] { plain, gz })
        {
            var a = ArrayFile.Read(path);
            Assert.Equal(new[] { 3, 4, 5, 1 }, a.Shape);
            Assert.Equal(ElementType.UInt8, a.SourceType);
            for (int i = 0; i < 60; i++) Assert.Equal(i * 7 % 256, a.Data[i]);
        }
    }

    [Fact]
    public void IdxLabelsAndErrors()
    {
        using var dir = new TempDir();
        var labels = new byte[8 + 4];
        labels[2] = 0x08; labels[3] = 1;
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), 4);
        labels[8] = 3; labels[11] = 9;
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte"), labels);
        var l = ArrayFile.Read(dir.File("t10k-labels-idx1-ubyte"));
        Assert.Equal(new[] { 4 }, l.Shape);
        Assert.Equal(new double[] { 3, 0, 0, 9 }, l.Data);

        File.WriteAllBytes(dir.File("bad-idx3-ubyte"), IdxImages(2, 2, 2, i => 1)[..18]);
        var e = Assert.Throws<DataFormatException>(() => ArrayFile.Read(dir.File("bad-idx3-ubyte")));
        Assert.Contains("truncated", e.Message);
        File.WriteAllBytes(dir.File("magic-idx3-ubyte"), [1, 2, 3, 4, 5]);
        Assert.Contains("bad magic", Assert.Throws<DataFormatException>(() => ArrayFile.Read(dir.File("magic-idx3-ubyte"))).Message);
    }

    [Fact]
    public void CifarBatchReadsPlanesIntoNhwc()
    {
        using var dir = new TempDir();
        var record = new byte[3073 * 2];
        for (int r = 0; r < 2; r++)
        {
            record[r * 3073] = (byte)(r + 4);
            for (int c = 0; c < 3; c++)
                for (int q = 0; q < 1024; q++) record[r * 3073 + 1 + c * 1024 + q] = (byte)((q + 50 * c + r) % 256);
        }
        File.WriteAllBytes(dir.File("data_batch_1.bin"), record);
        var (images, labels) = Cifar10.ReadWithLabels(dir.File("data_batch_1.bin"));
        Assert.Equal(new[] { 2, 32, 32, 3 }, images.Shape);
        Assert.Equal(new[] { 4, 5 }, labels);
        // pixel (row 1, col 2) = position 34, channel 2 (blue) of record 1
        Assert.Equal((34 + 100 + 1) % 256, images.Data[((1 * 1024) + 34) * 3 + 2]);
        File.WriteAllBytes(dir.File("short.bin"), record[..100]);
        Assert.Contains("whole number of CIFAR-10 records", Assert.Throws<DataFormatException>(() => ArrayFile.Read(dir.File("short.bin"))).Message);
    }

    [Fact]
    public void ScalingUsesTheFirstSetsStatistics()
    {
        var a = new NdArray([2, 2], [0, 10, 255, 20]);
        var b = new NdArray([1, 2], [51, 0]);
        Scaling.Apply(ScaleMode.Unit, a, b);
        Assert.Equal(new[] { 0, 10 / 255.0, 1, 20 / 255.0 }, a.Data);
        Assert.Equal(new[] { 0.2, 0 }, b.Data);
        var c = new NdArray([3, 2], [1, 10, 2, 20, 3, 30]);
        Scaling.Apply(ScaleMode.Standardize, c, null);
        Assert.Equal(0, c.Data.Where((_, i) => i % 2 == 0).Sum(), 1e-12);
        Assert.Equal(3, c.Data.Where((_, i) => i % 2 == 1).Sum(v => v * v), 1e-12);
        Assert.Equal(new[] { 2, 2 }, Scaling.Take(new NdArray([3, 2], [1, 2, 3, 4, 5, 6]), 2).Shape);
    }
}
