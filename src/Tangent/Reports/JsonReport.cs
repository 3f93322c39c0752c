using System.Text;
using System.Text.Json;
using Tangent.IO;

namespace Tangent.Reports;

/// <summary>
/// Writes reports as JSON, atomically. Non-finite numbers (an infinite condition number, say) become <c>null</c>, which
/// every JSON reader accepts, instead of the non-standard <c>Infinity</c>.
/// </summary>
public static class JsonReport
{
    /// <summary>Writes <paramref name="build"/>'s output to <paramref name="path"/> through a temporary file.</summary>
    public static void Write(string path, Action<Utf8JsonWriter> build)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            build(writer);
            writer.Flush();
        });
    }

    /// <summary>A number, or null when not finite.</summary>
    public static void Number(this Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteNull(name);
    }

    /// <summary>An array of numbers (non-finite ones as null).</summary>
    public static void Numbers(this Utf8JsonWriter writer, string name, ReadOnlySpan<double> values)
    {
        writer.WriteStartArray(name);
        foreach (double v in values)
            if (double.IsFinite(v)) writer.WriteNumberValue(v); else writer.WriteNullValue();
        writer.WriteEndArray();
    }

    /// <summary>An array of integers.</summary>
    public static void Integers(this Utf8JsonWriter writer, string name, ReadOnlySpan<int> values)
    {
        writer.WriteStartArray(name);
        foreach (int v in values) writer.WriteNumberValue(v);
        writer.WriteEndArray();
    }
}
