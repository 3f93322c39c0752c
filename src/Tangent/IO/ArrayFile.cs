namespace Tangent.IO;

/// <summary>
/// Array files by extension, as the command line takes them: <c>.npy</c>, or <c>.csv</c> / <c>.txt</c> as
/// delimited text (see <see cref="Csv"/>); for reading also IDX (MNIST, <c>*-idx3-ubyte[.gz]</c>, <c>.idx</c>) and
/// CIFAR-10 binary batches (<c>.bin</c>). The extension is matched case-insensitively.
/// </summary>
public static class ArrayFile
{
    /// <summary>Reads <paramref name="path"/> with the reader its extension names.</summary>
    /// <exception cref="DataFormatException">Unknown extension, missing or unreadable file (<c>x1.npy: no such file</c>),
    /// or bad content; the message is one line naming the file.</exception>
    public static NdArray Read(string path)
    {
        // Image formats are recognised by name before the extension table (MNIST files have none).
        if (Idx.LooksLikeIdx(path)) return Idx.Read(path);
        if (Cifar10.LooksLikeCifar(path)) return Cifar10.Read(path);
        return KindOf(path) switch
        {
            Kind.Npy => Npy.Read(path),
            _ => Csv.Read(path),
        };
    }

    /// <summary>
    /// Writes float64 <paramref name="data"/> of <paramref name="shape"/> (C order) to <paramref name="path"/>,
    /// atomically. As .csv a 0-d array is one cell, a 1-d array one column (one row per example), a 2-d array
    /// a table.
    /// </summary>
    /// <exception cref="DataFormatException">Unknown extension, or .csv asked for an array of rank 3 or more.</exception>
    /// <exception cref="ArgumentException">The shape's size is not <c>data.Length</c>.</exception>
    public static void Write(string path, ReadOnlySpan<double> data, int[] shape)
    {
        if (KindOf(path) == Kind.Npy) { Npy.Write(path, data, shape); return; }
        (int rows, int cols) = CsvTable(path, shape);
        CsvWriter.Write(path, data, rows, cols);
    }

    /// <summary>As <see cref="Write(string, ReadOnlySpan{double}, int[])"/> for float32 (<c>&lt;f4</c> in .npy; shortest float form in .csv).</summary>
    public static void Write(string path, ReadOnlySpan<float> data, int[] shape)
    {
        if (KindOf(path) == Kind.Npy) { Npy.Write(path, data, shape); return; }
        (int rows, int cols) = CsvTable(path, shape);
        CsvWriter.Write(path, data, rows, cols);
    }

    private enum Kind { Npy, Csv }

    private static Kind KindOf(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string extension = Path.GetExtension(path);
        return extension.ToLowerInvariant() switch
        {
            ".npy" => Kind.Npy,
            ".csv" or ".txt" => Kind.Csv,
            "" => throw new DataFormatException($"{path}: no file extension (expected .npy, .csv or .txt)"),
            _ => throw new DataFormatException($"{path}: unknown file type '{extension}' (expected .npy, .csv or .txt)"),
        };
    }

    /// <summary>The table a CSV file of <paramref name="shape"/> is written as.</summary>
    private static (int Rows, int Cols) CsvTable(string path, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return shape.Length switch
        {
            0 => (1, 1),
            1 => (shape[0], 1),
            2 => (shape[0], shape[1]),
            _ => throw new DataFormatException(
                $"{path}: a {shape.Length}-d array {ShapeText.Format(shape)} cannot be written as CSV, which holds at most 2 dimensions; use .npy"),
        };
    }
}
