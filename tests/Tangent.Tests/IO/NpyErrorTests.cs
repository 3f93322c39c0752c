using Tangent.IO;
using Xunit;

namespace Tangent.Tests.IO;

/// <summary>Bad .npy input fails with a one-line message naming the file and the problem.</summary>
public class NpyErrorTests
{
    private const string F8Header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";

    private static string ReadError(byte[] file)
    {
        var e = Assert.Throws<DataFormatException>(() => Npy.Read(new MemoryStream(file), "x1.npy"));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void MissingFile()
    {
        using var dir = new TempDir();
        string path = dir.File("x1.npy");
        var e = Assert.Throws<DataFormatException>(() => Npy.Read(path));
        Assert.Equal($"{path}: no such file", e.Message);
    }

    [Fact]
    public void MissingDirectory()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "nowhere", "x1.npy");
        Assert.Equal($"{path}: no such file", Assert.Throws<DataFormatException>(() => Npy.Read(path)).Message);
    }

    [Fact]
    public void DirectoryInsteadOfFile()
    {
        using var dir = new TempDir();
        string path = dir.File("d.npy");
        Directory.CreateDirectory(path);
        Assert.Equal($"{path}: is a directory", Assert.Throws<DataFormatException>(() => Npy.Read(path)).Message);
    }

    [Fact]
    public void PermissionDeniedIsNamed()
    {
        // Root reads anything, so map the exception directly rather than depend on who runs the tests.
        DataFormatException e = Tangent.IO.InputFile.Failure("secret.npy", new UnauthorizedAccessException("Access to the path is denied."));
        Assert.Equal("secret.npy: permission denied", e.Message);
    }

    [Fact]
    public void TruncatedData()
    {
        byte[] file = NpyBytes.File(F8Header, NpyBytes.Float64Le(1, 2, 3, 4, 5)); // 6 elements promised, 5 given
        Assert.Equal("x1.npy: truncated data: expected 48 bytes after the header, found 40", ReadError(file));
    }

    [Fact]
    public void TruncatedDataOfConvertedType()
    {
        byte[] file = NpyBytes.File("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", NpyBytes.Float32Le(1, 2, 3));
        Assert.Equal("x1.npy: truncated data: expected 16 bytes after the header, found 12", ReadError(file));
    }

    [Fact]
    public void TruncatedHeader()
    {
        byte[] file = NpyBytes.File(F8Header, [])[..40];
        Assert.Equal("x1.npy: truncated .npy header", ReadError(file));
    }

    [Fact]
    public void BadMagic()
    {
        byte[] file = NpyBytes.File(F8Header, new byte[48]);
        file[1] = (byte)'X';
        Assert.Equal("x1.npy: not a .npy file (bad magic)", ReadError(file));
        Assert.Equal("x1.npy: not a .npy file (bad magic)", ReadError("1,2,3\n"u8.ToArray()));
        Assert.Equal("x1.npy: not a .npy file (bad magic)", ReadError([]));
    }

    [Fact]
    public void UnsupportedVersion()
    {
        byte[] file = NpyBytes.File(F8Header, new byte[48]);
        file[6] = 4;
        Assert.Equal("x1.npy: unsupported .npy format version 4.0", ReadError(file));
    }

    [Theory]
    [InlineData("|O", "'|O' (an object array holds Python objects, not numbers)")]
    [InlineData("<c16", "'<c16'")]
    [InlineData("<U5", "'<U5'")]
    [InlineData("<u4", "'<u4'")]
    [InlineData("|f8", "'|f8' (no byte order given for a multi-byte type)")]
    public void UnsupportedDtype(string descr, string shown)
    {
        byte[] file = NpyBytes.File($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (2,), }}", new byte[64]);
        Assert.Equal($"x1.npy: unsupported dtype {shown}; Tangent reads float64, float32, int64, int32, int16, uint8, int8 or bool", ReadError(file));
    }

    [Fact]
    public void StructuredDtypeIsUnsupportedNotMalformed()
    {
        byte[] file = NpyBytes.File("{'descr': [('a', '<f8'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,), }", new byte[24]);
        string message = ReadError(file);
        Assert.StartsWith("x1.npy: unsupported dtype [('a', '<f8'), ('b', '<i4')] (a structured array", message);
    }

    [Theory]
    [InlineData("{'descr': '<f8', 'shape': (2,), }", "the header has no 'fortran_order'")]
    [InlineData("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,), }", "'fortran_order' is not True or False")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': [2], }", "'shape' is not a tuple")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }", "'shape' (-2,) is not a tuple of non-negative integers")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}", "unexpected keys 'x'")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)", "expected ',' or '}' at the end")]
    [InlineData("['descr']", "the header is not a dictionary")]
    [InlineData("{'descr': '<f8', 'fortran_order': Flase, 'shape': (2,), }", "unexpected name 'Flase' at character 35")]
    public void MalformedHeader(string dict, string problem)
    {
        byte[] file = NpyBytes.File(dict, new byte[16]);
        Assert.Equal($"x1.npy: malformed .npy header: {problem}", ReadError(file));
    }

    [Fact]
    public void TooManyElements()
    {
        byte[] file = NpyBytes.File("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }", []);
        Assert.Equal("x1.npy: shape [100000, 100000] has more than 2147483647 elements, more than Tangent can hold in one array", ReadError(file));
    }
}
