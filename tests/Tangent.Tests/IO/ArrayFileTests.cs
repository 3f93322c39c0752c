using Tangent.IO;
using Xunit;

namespace Tangent.Tests.IO;

/// <summary>Choosing the format by extension.</summary>
public class ArrayFileTests
{
    [Theory]
    [InlineData("a.npy")]
    [InlineData("a.NPY")]
    [InlineData("a.csv")]
    [InlineData("a.txt")]
    public void RoundTripsMatrixByExtension(string name)
    {
        using var dir = new TempDir();
        double[] data = [1, 2.5, -3, 4e-7, 5, 6];
        ArrayFile.Write(dir.File(name), data, [3, 2]);
        NdArray back = ArrayFile.Read(dir.File(name));
        Assert.Equal([3, 2], back.Shape);
        Assert.Equal(data, back.Data);
    }

    [Fact]
    public void NpyIsBinaryAndCsvIsText()
    {
        using var dir = new TempDir();
        ArrayFile.Write(dir.File("a.npy"), [1.0, 2.0], [2]);
        ArrayFile.Write(dir.File("a.csv"), [1.0, 2.0], [2]);
        Assert.Equal(0x93, File.ReadAllBytes(dir.File("a.npy"))[0]);
        // A vector becomes one column: one row per example.
        Assert.Equal("1\n2\n", File.ReadAllText(dir.File("a.csv")));
        Assert.Equal([2, 1], ArrayFile.Read(dir.File("a.csv")).Shape);
    }

    [Fact]
    public void Float32ToBothFormats()
    {
        using var dir = new TempDir();
        float[] data = [0.1f, 1f / 3, -2f];
        ArrayFile.Write(dir.File("f.npy"), data, [3]);
        NdArray npy = ArrayFile.Read(dir.File("f.npy"));
        Assert.Equal(ElementType.Float32, npy.SourceType);
        Assert.Equal(data.Select(f => (double)f), npy.Data);

        ArrayFile.Write(dir.File("f.csv"), data, [1, 3]);
        // The shortest text that reads back as the same float32, not the double expansion of it.
        Assert.Equal("0.1,0.33333334,-2\n", File.ReadAllText(dir.File("f.csv")));
        Assert.Equal(data.Select(f => (double)(float)(double)f), ArrayFile.Read(dir.File("f.csv")).Data.Select(d => (double)(float)d));
    }

    [Fact]
    public void ScalarToCsvIsOneCell()
    {
        using var dir = new TempDir();
        ArrayFile.Write(dir.File("s.csv"), [3.25], []);
        Assert.Equal("3.25\n", File.ReadAllText(dir.File("s.csv")));
    }

    [Fact]
    public void CsvRefusesRankThree()
    {
        using var dir = new TempDir();
        string path = dir.File("t.csv");
        var e = Assert.Throws<DataFormatException>(() => ArrayFile.Write(path, new double[8], [2, 2, 2]));
        Assert.Equal($"{path}: a 3-d array [2, 2, 2] cannot be written as CSV, which holds at most 2 dimensions; use .npy", e.Message);
        Assert.Empty(dir.Listing());
    }

    [Fact]
    public void UnknownExtension()
    {
        using var dir = new TempDir();
        string path = dir.File("x.dat");
        File.WriteAllText(path, "1,2\n");
        Assert.Equal($"{path}: unknown file type '.dat' (expected .npy, .csv or .txt)", Assert.Throws<DataFormatException>(() => ArrayFile.Read(path)).Message);
        Assert.Equal("noext: no file extension (expected .npy, .csv or .txt)", Assert.Throws<DataFormatException>(() => ArrayFile.Read("noext")).Message);
        Assert.Throws<DataFormatException>(() => ArrayFile.Write(dir.File("y.json"), [1.0], [1]));
    }

    [Fact]
    public void MissingFileIsOneLine()
    {
        using var dir = new TempDir();
        string path = dir.File("x1.npy");
        Assert.Equal($"{path}: no such file", Assert.Throws<DataFormatException>(() => ArrayFile.Read(path)).Message);
        string csv = dir.File("x2.csv");
        Assert.Equal($"{csv}: no such file", Assert.Throws<DataFormatException>(() => ArrayFile.Read(csv)).Message);
    }

    [Fact]
    public void RelativePathIsNamedAsGiven()
    {
        var e = Assert.Throws<DataFormatException>(() => ArrayFile.Read("surely-missing-tangent-input.npy"));
        Assert.Equal("surely-missing-tangent-input.npy: no such file", e.Message);
    }
}
