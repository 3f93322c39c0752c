using System.Buffers.Binary;
using System.Text;
using Tangent.IO;
using Xunit;

namespace Tangent.Tests.IO;

/// <summary>Writing .npy: round trips through our reader, and the exact layout numpy expects.</summary>
public class NpyWriteTests
{
    public static TheoryData<int[]> Shapes => new() { Array.Empty<int>(), new[] { 5 }, new[] { 3, 4 }, new[] { 2, 3, 1, 5 }, new[] { 0, 7 } };

    private static double[] Sample(int n) => Enumerable.Range(0, n).Select(i => Math.Sin(i + 1) * Math.Pow(10, i % 7 - 3)).ToArray();

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float64RoundTripsExactly(int[] shape)
    {
        using var dir = new TempDir();
        int n = shape.Aggregate(1, (a, b) => a * b);
        double[] data = Sample(n);
        Npy.Write(dir.File("a.npy"), data, shape);
        NdArray back = Npy.Read(dir.File("a.npy"));
        Assert.Equal(shape, back.Shape);
        Assert.Equal(ElementType.Float64, back.SourceType);
        Assert.Equal(data, back.Data);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float32RoundTripsExactly(int[] shape)
    {
        using var dir = new TempDir();
        int n = shape.Aggregate(1, (a, b) => a * b);
        float[] data = Sample(n).Select(v => (float)v).ToArray();
        Npy.Write(dir.File("a.npy"), data, shape);
        NdArray back = Npy.Read(dir.File("a.npy"));
        Assert.Equal(shape, back.Shape);
        Assert.Equal(ElementType.Float32, back.SourceType);
        Assert.Equal(data.Select(v => (double)v), back.Data);
        Assert.Equal(128 + 4 * n, new FileInfo(dir.File("a.npy")).Length);
    }

    [Fact]
    public void SpecialValuesSurvive()
    {
        using var dir = new TempDir();
        double[] data = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MinValue];
        Npy.Write(dir.File("s.npy"), data, [6]);
        double[] back = Npy.Read(dir.File("s.npy")).Data;
        Assert.Equal(data.Select(BitConverter.DoubleToInt64Bits), back.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [InlineData(new int[0], "()")]
    [InlineData(new[] { 5 }, "(5,)")]
    [InlineData(new[] { 3, 4 }, "(3, 4)")]
    [InlineData(new[] { 20000, 20000 }, "(20000, 20000)")]
    [InlineData(new[] { 2, 8, 8, 1 }, "(2, 8, 8, 1)")]
    public void HeaderLayoutIsNumpyVersion1(int[] shape, string tuple)
    {
        using var dir = new TempDir();
        // A 20000 x 20000 file would be 3.2 GB: for that one, check the header encoder alone.
        long n = shape.Aggregate(1L, (a, b) => a * b);
        byte[] bytes;
        if (n <= 1000)
        {
            Npy.Write(dir.File("h.npy"), new double[n], shape);
            bytes = File.ReadAllBytes(dir.File("h.npy"));
        }
        else bytes = Tangent.IO.NpyHeader.Encode("<f8", shape);

        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], bytes[..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        int dataStart = 10 + headerLength;
        Assert.Equal(0, dataStart % 64);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.EndsWith("\n", header);
        string expected = $"{{'descr': '<f8', 'fortran_order': False, 'shape': {tuple}, }}";
        Assert.StartsWith(expected, header);
        Assert.Equal("", header[expected.Length..^1].Trim(' '));
        if (n <= 1000) Assert.Equal(dataStart + 8 * n, bytes.Length);
    }

    [Fact]
    public void WrittenBytesEqualNumpys()
    {
        using var dir = new TempDir();
        Npy.Write(dir.File("a.npy"), [0, 0.25, 0.5, 0.75, 1.0, 1.25], [2, 3]);
        Assert.Equal(Convert.FromBase64String(NumpyFiles.Arange2x3Over4), File.ReadAllBytes(dir.File("a.npy")));

        Npy.Write(dir.File("f.npy"), [1.5f, -2f, 0.1f, 3e30f, -0.0f], [5]);
        Assert.Equal(Convert.FromBase64String(NumpyFiles.Float32Vector), File.ReadAllBytes(dir.File("f.npy")));

        Npy.Write(dir.File("s.npy"), [-7.25], []);
        Assert.Equal(Convert.FromBase64String(NumpyFiles.Scalar), File.ReadAllBytes(dir.File("s.npy")));
    }

    [Fact]
    public void ShapeMismatchThrowsAndWritesNothing()
    {
        using var dir = new TempDir();
        Assert.Throws<ArgumentException>(() => Npy.Write(dir.File("bad.npy"), new double[5], [2, 3]));
        Assert.Empty(dir.Listing());
    }

    [Fact]
    public void OverwritesExistingFile()
    {
        using var dir = new TempDir();
        Npy.Write(dir.File("a.npy"), [1.0, 2.0, 3.0], [3]);
        Npy.Write(dir.File("a.npy"), [9.0], [1]);
        Assert.Equal([9.0], Npy.Read(dir.File("a.npy")).Data);
        Assert.Equal(["a.npy"], dir.Listing());
    }
}
