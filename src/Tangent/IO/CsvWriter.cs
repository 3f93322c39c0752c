using System.Globalization;
using System.Text;

namespace Tangent.IO;

/// <summary>Writes a rows x cols table as comma-separated text that reads back to the same bits.</summary>
internal static class CsvWriter
{
    /// <summary>Writes the file atomically (see <see cref="AtomicFile"/>).</summary>
    public static void Write<T>(string path, ReadOnlySpan<T> data, int rows, int cols) where T : ISpanFormattable
    {
        Validate(data.Length, rows, cols);
        using PendingFile file = PendingFile.Create(path);
        using (var writer = new StreamWriter(file.Stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16, leaveOpen: true))
            Write(writer, data, rows, cols);
        file.Commit();
    }

    /// <summary>
    /// Writes the table, cells in the shortest form that round-trips (<c>"R"</c>: the float32 form for
    /// floats, so 0.1f is written 0.1), invariant culture, <c>\n</c> line ends whatever the platform.
    /// </summary>
    public static void Write<T>(TextWriter writer, ReadOnlySpan<T> data, int rows, int cols) where T : ISpanFormattable
    {
        Validate(data.Length, rows, cols);
        Span<char> cell = stackalloc char[64];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> row = data.Slice(r * cols, cols);
            for (int c = 0; c < cols; c++)
            {
                if (c > 0) writer.Write(',');
                if (!row[c].TryFormat(cell, out int written, "R", CultureInfo.InvariantCulture))
                    throw new InvalidOperationException("a number did not fit its formatting buffer");
                writer.Write(cell[..written]);
            }
            writer.Write('\n');
        }
    }

    private static void Validate(int length, int rows, int cols)
    {
        if (rows < 0 || cols < 0) throw new ArgumentOutOfRangeException(rows < 0 ? nameof(rows) : nameof(cols), "rows and cols must be non-negative");
        if ((long)rows * cols != length) throw new ArgumentException($"{rows} x {cols} does not match {length} elements");
    }
}
