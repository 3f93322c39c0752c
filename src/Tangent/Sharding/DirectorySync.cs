using System.Runtime.InteropServices;

namespace Tangent.Sharding;

/// <summary>
/// Flushes a directory's entries to disk. A rename is atomic, but it is only durable once the directory itself is
/// fsynced: without this a power cut right after a tile is committed could lose the tile's name (never its content
/// under a wrong name). A SIGKILL needs nothing of the kind (the kernel keeps the rename), so this is best effort and
/// a no-op where POSIX calls are unavailable.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY

    /// <summary>fsync(2) on the directory; errors are ignored (some file systems refuse fsync on directories).</summary>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            int fd = Open(directory, ReadOnly);
            if (fd < 0) return;
            try { _ = Fsync(fd); }
            finally { _ = Close(fd); }
        }
        catch (DllNotFoundException) { }
        catch (EntryPointNotFoundException) { }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
