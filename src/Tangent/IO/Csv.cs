using System.Text;

namespace Tangent.IO;

/// <summary>
/// Delimited text files, one row per example: the format for small inputs people write by hand or export
/// from a spreadsheet. Use .npy for anything large.
/// </summary>
public static class Csv
{
    /// <summary>
    /// Reads a table of numbers into a 2-D array of shape [rows, columns]. Cells are separated by commas,
    /// semicolons, tabs or whitespace (decided per file); a first line that is not all numbers is a header
    /// and skipped; blank lines and lines starting with <c>#</c> are skipped; numbers use the invariant
    /// culture (a dot for decimals), and <c>nan</c>/<c>inf</c> are accepted, for
    /// <see cref="NdArray.EnsureFinite"/> to catch where it matters.
    /// </summary>
    /// <exception cref="DataFormatException">Missing or unreadable file, no numbers, rows of different
    /// lengths, or a cell that is not a number, e.g. <c>x.csv: line 12, column 3: 'abc' is not a number</c>.</exception>
    public static NdArray Read(string path)
    {
        using FileStream stream = InputFile.OpenRead(path);
        try
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            return CsvReader.Read(reader, path);
        }
        catch (IOException e) { throw InputFile.Failure(path, e); }
    }

    /// <summary>
    /// Writes <paramref name="data"/> (row-major, <paramref name="rows"/> x <paramref name="cols"/>) as
    /// comma-separated lines with no header, each number in round-trip form (<c>"R"</c>) so that reading it
    /// back gives the same doubles. Atomic (see <see cref="AtomicFile"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><c>rows * cols</c> is not <c>data.Length</c>.</exception>
    public static void Write(string path, ReadOnlySpan<double> data, int rows, int cols) => CsvWriter.Write(path, data, rows, cols);
}
