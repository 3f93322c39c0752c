using System.Security.Cryptography;

namespace Tangent.IO;

/// <summary>
/// A file being written under a temporary name next to its destination, that becomes the destination only
/// on <see cref="Commit"/>. Disposing it uncommitted deletes the temporary, so an exception or a
/// cancellation half-way never leaves a partial output. Lets span-based writers (which cannot be captured by
/// a lambda) share the machinery of <see cref="AtomicFile.Write"/>.
/// </summary>
internal sealed class PendingFile : IDisposable
{
    private readonly string _target;
    private FileStream? _stream;
    private bool _done;

    private PendingFile(string target, string tempPath, FileStream stream)
    {
        _target = target;
        TempPath = tempPath;
        _stream = stream;
    }

    /// <summary>The temporary file's full path (<c>&lt;name&gt;.tmp-&lt;random&gt;</c> in the destination's directory).</summary>
    public string TempPath { get; }

    /// <summary>The stream to write the content to.</summary>
    public Stream Stream => _stream ?? throw new ObjectDisposedException(nameof(PendingFile));

    /// <summary>Creates the temporary (and the destination's directory when missing).</summary>
    public static PendingFile Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string target = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        // Same directory as the destination: a rename is only atomic within one file system.
        // CreateNew never clobbers an existing file, and a fresh random suffix on the rare collision.
        for (int attempt = 0; ; attempt++)
        {
            string temp = target + ".tmp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            try
            {
                var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
                return new PendingFile(target, temp, stream);
            }
            catch (IOException) when (attempt < 5 && File.Exists(temp)) { }
        }
    }

    /// <summary>Flushes the temporary to disk (fsync) and renames it over the destination.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        FileStream stream = _stream!;
        if (stream.CanWrite)
        {
            stream.Flush(flushToDisk: true);
            stream.Dispose();
        }
        else
        {
            // The writer closed the stream itself (a StreamWriter without leaveOpen does): its bytes were
            // flushed to the OS on close but not to disk, so reopen the file to fsync it before the rename;
            // otherwise a crash right after the rename could leave an empty file under the final name.
            stream.Dispose();
            using var reopened = new FileStream(TempPath, FileMode.Open, FileAccess.Write, FileShare.None, bufferSize: 1);
            reopened.Flush(flushToDisk: true);
        }
        _stream = null;
        File.Move(TempPath, _target, overwrite: true);
        _done = true;
    }

    /// <summary>Abandons an uncommitted file: closes and deletes the temporary; the destination is untouched.</summary>
    public void Dispose()
    {
        if (_done) return;
        _done = true;
        _stream?.Dispose();
        _stream = null;
        try { File.Delete(TempPath); }
        catch (IOException) { }                 // best effort: never hide the exception that brought us here
        catch (UnauthorizedAccessException) { }
    }
}
