using Tangent.IO;
using Xunit;

namespace Tangent.Tests.IO;

/// <summary>Delimited text: the layouts people produce, the errors they make, and exact round trips.</summary>
public class CsvTests
{
    private static NdArray ReadText(string text, string name = "x.csv")
    {
        using var dir = new TempDir();
        string path = dir.File(name);
        File.WriteAllText(path, text);
        return Csv.Read(path);
    }

    private static string ErrorOf(string text)
    {
        using var dir = new TempDir();
        string path = dir.File("x.csv");
        File.WriteAllText(path, text);
        var e = Assert.Throws<DataFormatException>(() => Csv.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        return e.Message[(path.Length + 2)..];
    }

    [Fact]
    public void ReadsCommaTableWithHeaderAndBlankLines()
    {
        NdArray a = ReadText("x1,x2,label\n\n1.5, -2,3\n  \n4e-3,5,6\r\n\n");
        Assert.Equal([2, 3], a.Shape);
        Assert.Equal([1.5, -2, 3, 0.004, 5, 6], a.Data);
        Assert.Equal(ElementType.Float64, a.SourceType);
    }

    [Fact]
    public void ReadsTabsSemicolonsAndWhitespace()
    {
        Assert.Equal([1.0, 2, 3, 4], ReadText("a\tb\n1\t2\n3\t4\n").Data);
        Assert.Equal([1.0, 2, 3, 4], ReadText("1;2\n3;4\n").Data);
        NdArray spaced = ReadText("  1   2\t 3\n4 5    6  \n");
        Assert.Equal([2, 3], spaced.Shape);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], spaced.Data);
    }

    [Fact]
    public void HeaderMayUseAnotherSeparatorThanTheData()
    {
        NdArray a = ReadText("first second\n1,2\n3,4\n");
        Assert.Equal([2, 2], a.Shape);
    }

    [Fact]
    public void SkipsCommentsAndQuotesAndByteOrderMark()
    {
        NdArray a = ReadText("\uFEFF# written by np.savetxt\n\"1.25\",\"2\"\n# middle\n3,4\n");
        Assert.Equal([1.25, 2, 3, 4], a.Data);
    }

    [Fact]
    public void SingleColumnIsRowsByOne()
    {
        NdArray a = ReadText("y\n0.5\n-1\n2\n");
        Assert.Equal([3, 1], a.Shape);
        Assert.Equal(3, a.Rows);
        Assert.Equal(1, a.RowLength);
    }

    [Fact]
    public void NanAndInfinityParseForEnsureFiniteToCatch()
    {
        NdArray a = ReadText("1,nan\nInf,-inf\n-Infinity,NaN\n");
        Assert.True(double.IsNaN(a.Data[1]));
        Assert.Equal(double.PositiveInfinity, a.Data[2]);
        Assert.Equal(double.NegativeInfinity, a.Data[3]);
        Assert.Equal(double.NegativeInfinity, a.Data[4]);
        var e = Assert.Throws<DataFormatException>(() => a.EnsureFinite("x.csv"));
        Assert.Equal("x.csv: element 1 (row 0) is NaN", e.Message);
    }

    [Fact]
    public void NonNumberCellNamesLineAndColumn()
    {
        // Line numbers count every physical line (header and blanks included), from 1.
        Assert.Equal("line 4, column 3: 'abc' is not a number", ErrorOf("a,b,c\n1,2,3\n\n4,5,abc\n"));
        Assert.Equal("line 2, column 1: '1,5' is not a number", ErrorOf("1;2\n1,5;2,5\n"));
    }

    [Fact]
    public void WordAfterTheFirstLineIsAnErrorNotAHeader()
    {
        Assert.Equal("line 2, column 2: 'x' is not a number", ErrorOf("1,2\n3,x\n"));
    }

    [Fact]
    public void RaggedRows()
    {
        Assert.Equal("line 4 has 2 columns, expected 3 as on line 2", ErrorOf("h1,h2,h3\n1,2,3\n4,5,6\n7,8\n"));
        Assert.Equal("line 2 has 3 columns, expected 2 as on line 1", ErrorOf("1 2\n3 4 5\n"));
    }

    [Fact]
    public void EmptyCell()
    {
        Assert.Equal("line 1, column 3: empty cell", ErrorOf("1,2,\n"));
        Assert.Equal("line 3, column 2: empty cell", ErrorOf("a,b,c\n1,2,3\n4,,6\n"));
        Assert.Equal("line 2, column 2: empty cell", ErrorOf("1\t2\t3\n4\t\t6\n"));
    }

    [Fact]
    public void LongCellIsShortenedInMessage()
    {
        string cell = new('z', 100);
        Assert.Equal($"line 2, column 1: '{new string('z', 40)}...' is not a number", ErrorOf($"1\n{cell}\n"));
    }

    [Fact]
    public void EmptyOrHeaderOnlyFile()
    {
        Assert.Equal("no numbers found (the file is empty or only has a header)", ErrorOf(""));
        Assert.Equal("no numbers found (the file is empty or only has a header)", ErrorOf("a,b\n\n"));
    }

    [Fact]
    public void MissingFile()
    {
        using var dir = new TempDir();
        string path = dir.File("nope.csv");
        Assert.Equal($"{path}: no such file", Assert.Throws<DataFormatException>(() => Csv.Read(path)).Message);
    }

    [Fact]
    public void WriteRoundTripsEveryBit()
    {
        using var dir = new TempDir();
        var random = new Random(7);
        double[] data = Enumerable.Range(0, 60).Select(i => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300))).ToArray();
        data[0] = 0.1; data[1] = -0.0; data[2] = double.Epsilon; data[3] = double.MaxValue;
        Csv.Write(dir.File("r.csv"), data, 12, 5);
        NdArray back = Csv.Read(dir.File("r.csv"));
        Assert.Equal([12, 5], back.Shape);
        Assert.Equal(data.Select(BitConverter.DoubleToInt64Bits), back.Data.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void WriteUsesCommasInvariantNumbersAndNewlines()
    {
        using var dir = new TempDir();
        Csv.Write(dir.File("w.csv"), [1.5, -2, 0.1, 1e21], 2, 2);
        Assert.Equal("1.5,-2\n0.1,1E+21\n", File.ReadAllText(dir.File("w.csv")));
    }

    [Fact]
    public void WriteRejectsWrongSize()
    {
        using var dir = new TempDir();
        Assert.Throws<ArgumentException>(() => Csv.Write(dir.File("w.csv"), new double[5], 2, 3));
        Assert.Empty(dir.Listing());
    }
}
