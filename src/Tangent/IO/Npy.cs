namespace Tangent.IO;

/// <summary>
/// numpy's .npy format, the main array format of Tangent's command line. Reads versions 1.0, 2.0 and 3.0
/// of the float, integer and bool dtypes numpy writes, in either byte order and either memory order;
/// writes version 1.0 float64 or float32, C order, byte-identical to <c>np.save</c>.
/// Data moves in chunks straight between the file and the array, so arrays larger than 2 GB work and
/// reading float64 costs one copy from the OS.
/// </summary>
public static class Npy
{
    /// <summary>Reads the .npy file at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">Missing or unreadable file, malformed header, truncated data,
    /// or a dtype other than <c>f8 f4 i8 i4 i2 u1 i1 b1</c> (object and structured arrays, for instance).</exception>
    public static NdArray Read(string path)
    {
        using FileStream stream = InputFile.OpenRead(path);
        try { return NpyReader.Read(stream, path); }
        catch (IOException e) { throw InputFile.Failure(path, e); }
    }

    /// <summary>Reads one .npy array from <paramref name="stream"/> (which need not be seekable), leaving it just past the data.</summary>
    /// <param name="stream">Positioned at the magic string.</param>
    /// <param name="nameForErrors">What error messages call the source, e.g. a file name or an archive member.</param>
    /// <exception cref="DataFormatException">As for <see cref="Read(string)"/>.</exception>
    public static NdArray Read(Stream stream, string nameForErrors)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return NpyReader.Read(stream, nameForErrors);
    }

    /// <summary>Writes <paramref name="data"/> (C order) as a <c>&lt;f8</c> .npy file, atomically (see <see cref="AtomicFile"/>).</summary>
    /// <exception cref="ArgumentException">The shape's size is not <c>data.Length</c>.</exception>
    public static void Write(string path, ReadOnlySpan<double> data, int[] shape) => NpyWriter.Write(path, data, shape);

    /// <summary>Writes <paramref name="data"/> (C order) as a <c>&lt;f4</c> .npy file, atomically (see <see cref="AtomicFile"/>).</summary>
    /// <exception cref="ArgumentException">The shape's size is not <c>data.Length</c>.</exception>
    public static void Write(string path, ReadOnlySpan<float> data, int[] shape) => NpyWriter.Write(path, data, shape);
}
