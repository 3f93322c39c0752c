using System.Text;
using Tangent.IO;
using Xunit;

namespace Tangent.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void WritesContent()
    {
        using var dir = new TempDir();
        AtomicFile.Write(dir.File("out.txt"), s => s.Write("hello"u8));
        Assert.Equal("hello", File.ReadAllText(dir.File("out.txt")));
        Assert.Equal(["out.txt"], dir.Listing());
    }

    [Fact]
    public void WriterThatThrowsLeavesNoFileAndNoTemporary()
    {
        using var dir = new TempDir();
        string? seen = null;
        var e = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(dir.File("out.npy"), s =>
        {
            s.Write(new byte[100_000]);
            s.Flush();
            seen = dir.Listing().Single();
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("boom", e.Message);
        Assert.StartsWith("out.npy.tmp-", seen);   // the partial content really was in a temporary file
        Assert.Empty(dir.Listing());
    }

    [Fact]
    public void CancellationLeavesOldContentUntouched()
    {
        using var dir = new TempDir();
        string path = dir.File("k.npy");
        File.WriteAllText(path, "old");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("new partial"u8);
            cts.Token.ThrowIfCancellationRequested();
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["k.npy"], dir.Listing());
    }

    [Fact]
    public void ReplacesExistingFile()
    {
        using var dir = new TempDir();
        string path = dir.File("r.txt");
        File.WriteAllText(path, "a much longer old content");
        AtomicFile.Write(path, s => s.Write("new"u8));
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void CreatesMissingDirectories()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "a", "b", "c.txt");
        AtomicFile.Write(path, s => s.Write("x"u8));
        Assert.Equal("x", File.ReadAllText(path));
    }

    [Fact]
    public void WriterMayCloseTheStream()
    {
        using var dir = new TempDir();
        AtomicFile.Write(dir.File("w.txt"), s =>
        {
            using var writer = new StreamWriter(s, new UTF8Encoding(false));   // closes s when disposed
            writer.Write("closed by writer");
        });
        Assert.Equal("closed by writer", File.ReadAllText(dir.File("w.txt")));
        Assert.Equal(["w.txt"], dir.Listing());
    }

    [Fact]
    public void FailedRenameRemovesTemporary()
    {
        using var dir = new TempDir();
        string path = dir.File("taken");
        Directory.CreateDirectory(path);   // a directory where the file should go: the final rename fails
        Assert.ThrowsAny<IOException>(() => AtomicFile.Write(path, s => s.Write("x"u8)));
        Assert.Empty(dir.Listing());
        Assert.True(Directory.Exists(path));
    }
}
