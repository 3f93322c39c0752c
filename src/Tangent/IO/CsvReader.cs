using System.Globalization;

namespace Tangent.IO;

/// <summary>
/// Reads delimited text into a 2-D array, one row per line. Forgiving about the layout people and tools
/// produce (a header line, blank lines, comma/semicolon/tab/space separators, quoted numbers, <c>#</c>
/// comments as <c>np.savetxt</c> writes them) and strict about the numbers: a cell that is not one, or a
/// row of the wrong length, is an error that names its line and column.
/// </summary>
internal static class CsvReader
{
    /// <summary>Longest cell text quoted in an error message; longer cells are cut with an ellipsis.</summary>
    private const int MaxQuotedCell = 40;

    /// <summary>Reads all of <paramref name="reader"/>; <paramref name="name"/> is what messages call it.</summary>
    public static NdArray Read(TextReader reader, string name)
    {
        var values = new List<double>();
        int lineNumber = 0, columns = -1, firstDataLine = 0, rows = 0;
        bool seenContent = false;
        char separator = ',';
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            ReadOnlySpan<char> text = line.AsSpan().Trim();
            if (text.IsEmpty || text[0] == '#') continue;

            if (!seenContent)
            {
                seenContent = true;
                // Only the first line may be a header: anywhere else a word is a mistake to report.
                if (!LooksLikeData(text, SeparatorOf(text))) continue;
            }
            // The separator is fixed by the first data line (the header may be laid out differently).
            if (rows == 0) separator = SeparatorOf(text);

            int count = ParseRow(text, separator, values, name, lineNumber);
            if (columns < 0) { columns = count; firstDataLine = lineNumber; }
            else if (count != columns)
                throw new DataFormatException($"{name}: line {lineNumber} has {count} columns, expected {columns} as on line {firstDataLine}");
            rows++;
        }
        if (rows == 0) throw new DataFormatException($"{name}: no numbers found (the file is empty or only has a header)");
        return new NdArray([rows, columns], values.ToArray(), ElementType.Float64);
    }

    /// <summary>
    /// The separator a line uses. Semicolons and commas are never part of an invariant-culture number, so
    /// their presence decides. Tabs come next, unless spaces also separate numbers on the line (hand-aligned
    /// columns); then any run of spaces and tabs separates, which <c>' '</c> stands for.
    /// </summary>
    private static char SeparatorOf(ReadOnlySpan<char> text)
    {
        if (text.Contains(';')) return ';';
        if (text.Contains(',')) return ',';
        if (!text.Contains('\t')) return ' ';
        foreach (Range cell in Cells(text, '\t'))
            if (text[cell].Trim().Contains(' ')) return ' ';
        return '\t';
    }

    /// <summary>
    /// Whether a first line is data rather than a header: a header has a word in it. Empty cells alone do not
    /// make a header, so that a first row with a missing value is reported instead of silently dropped.
    /// </summary>
    private static bool LooksLikeData(ReadOnlySpan<char> text, char separator)
    {
        foreach (Range cell in Cells(text, separator))
        {
            ReadOnlySpan<char> value = Unquote(text[cell]);
            if (!value.IsEmpty && !TryParseNumber(value, out _)) return false;
        }
        return true;
    }

    /// <summary>Appends the numbers of one line to <paramref name="values"/> and returns how many there were.</summary>
    private static int ParseRow(ReadOnlySpan<char> text, char separator, List<double> values, string name, int lineNumber)
    {
        int column = 0;
        foreach (Range range in Cells(text, separator))
        {
            column++;
            ReadOnlySpan<char> cell = Unquote(text[range]);
            if (cell.IsEmpty)
                throw new DataFormatException($"{name}: line {lineNumber}, column {column}: empty cell");
            if (!TryParseNumber(cell, out double value))
                throw new DataFormatException($"{name}: line {lineNumber}, column {column}: '{Quote(cell)}' is not a number");
            values.Add(value);
        }
        return column;
    }

    /// <summary>The cells of a trimmed line; with <c>' '</c>, any run of spaces and tabs separates.</summary>
    private static List<Range> Cells(ReadOnlySpan<char> text, char separator)
    {
        var cells = new List<Range>();
        int start = 0;
        if (separator == ' ')
        {
            for (int i = 0; i <= text.Length; i++)
            {
                bool gap = i == text.Length || text[i] is ' ' or '\t';
                if (!gap) continue;
                if (i > start) cells.Add(start..i);
                start = i + 1;
            }
            return cells;
        }
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != separator) continue;
            cells.Add(start..i);
            start = i + 1;
        }
        return cells;
    }

    /// <summary>Trims a cell and removes one pair of surrounding double quotes, which spreadsheets add.</summary>
    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> cell)
    {
        cell = cell.Trim();
        if (cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"') cell = cell[1..^1].Trim();
        return cell;
    }

    /// <summary>
    /// Invariant-culture number, plus the spellings of NaN and infinity that numpy, R and spreadsheets write
    /// (<c>nan</c>, <c>inf</c>, <c>-Infinity</c>, ...): they are numbers, and <see cref="NdArray.EnsureFinite"/>
    /// reports them where finiteness matters, with a better message than "not a number".
    /// </summary>
    internal static bool TryParseNumber(ReadOnlySpan<char> cell, out double value)
    {
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return true;
        bool negative = cell.StartsWith('-');
        ReadOnlySpan<char> word = cell.StartsWith('-') || cell.StartsWith('+') ? cell[1..] : cell;
        if (word.Equals("nan", StringComparison.OrdinalIgnoreCase)) { value = double.NaN; return true; }
        if (word.Equals("inf", StringComparison.OrdinalIgnoreCase) || word.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        return false;
    }

    private static string Quote(ReadOnlySpan<char> cell) =>
        cell.Length <= MaxQuotedCell ? cell.ToString() : string.Concat(cell[..MaxQuotedCell], "...");
}
