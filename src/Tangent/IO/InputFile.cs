namespace Tangent.IO;

/// <summary>
/// Opens input files and turns the ways that can fail into one-line <see cref="DataFormatException"/>s
/// (<c>x1.npy: no such file</c>), which the command line reports with exit code 2 instead of a stack trace.
/// </summary>
internal static class InputFile
{
    /// <summary>Opens <paramref name="path"/> for sequential reading.</summary>
    public static FileStream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(path, e);
        }
    }

    /// <summary>The one-line error for <paramref name="error"/>, raised while opening or reading <paramref name="path"/>.</summary>
    public static DataFormatException Failure(string path, Exception error)
    {
        string what = error switch
        {
            FileNotFoundException or DirectoryNotFoundException => "no such file",
            // Unix reports opening a directory as "access denied"; name the real problem.
            UnauthorizedAccessException when Directory.Exists(path) => "is a directory",
            UnauthorizedAccessException => "permission denied",
            _ => "cannot read: " + FirstLine(error.Message),
        };
        return new DataFormatException($"{path}: {what}", error);
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
