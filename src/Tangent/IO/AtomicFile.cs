namespace Tangent.IO;

/// <summary>
/// Writes files so that readers only ever see the old content or the complete new content: a failed or
/// interrupted run never leaves a partial output file (see "Command line contract" in the design).
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes through a temporary file in the same directory (<c>&lt;name&gt;.tmp-&lt;random&gt;</c>), flushes and
    /// fsyncs it, then renames it over <paramref name="path"/>. If <paramref name="write"/> throws (including
    /// <see cref="OperationCanceledException"/>) the temporary is deleted, <paramref name="path"/> is untouched
    /// and the exception propagates. Creates the directory if it is missing.
    /// </summary>
    /// <param name="path">The destination file.</param>
    /// <param name="write">Writes the whole content to the stream it is given; it may close the stream.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using PendingFile file = PendingFile.Create(path);
        write(file.Stream);
        file.Commit();
    }
}
