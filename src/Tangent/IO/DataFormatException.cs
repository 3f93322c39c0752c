namespace Tangent.IO;

/// <summary>
/// A bad input file: missing, unreadable, malformed, or holding values Tangent cannot use.
/// The message is one line that names the file and the problem, e.g. <c>x1.npy: no such file</c>;
/// the command line prints it as it is and exits with code 2.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public DataFormatException(string message) : base(message) { }

    /// <summary>Keeps the low-level cause (an <see cref="IOException"/>, say) for debugging; the message stays one line.</summary>
    internal DataFormatException(string message, Exception inner) : base(message, inner) { }
}
