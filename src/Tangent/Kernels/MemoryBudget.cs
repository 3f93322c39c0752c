using System.Globalization;

namespace Tangent.Kernels;

/// <summary>
/// Refuses work that cannot fit in memory before anything is allocated, with the estimate and what to do instead
/// (the most common failure of kernel libraries is a run that dies trying to allocate terabytes).
/// </summary>
public static class MemoryBudget
{
    /// <summary>
    /// Memory the process may still use: the GC's limit (container-aware) less what is in use, or less if the
    /// environment variable <c>TANGENT_MEMORY_LIMIT</c> (bytes, or with a suffix: 512MB, 8GB) caps it, as on a shared node.
    /// </summary>
    public static long AvailableBytes()
    {
        var info = GC.GetGCMemoryInfo();
        long limit = info.TotalAvailableMemoryBytes;
        if (Environment.GetEnvironmentVariable("TANGENT_MEMORY_LIMIT") is { Length: > 0 } text)
            limit = Math.Min(limit, ParseBytes(text) ?? throw new KernelRequestException($"TANGENT_MEMORY_LIMIT='{text}' is not a size (e.g. 8GB, 512MB or a byte count)"));
        return Math.Max(0, limit - GC.GetTotalMemory(false));
    }

    /// <summary>Parses "8GB", "512 MB", "1.5G", "123456" (decimal units).</summary>
    public static long? ParseBytes(string text)
    {
        text = text.Trim().ToUpperInvariant();
        if (text.EndsWith('B')) text = text[..^1];
        double factor = 1;
        if (text.Length > 0 && "KMGT".Contains(text[^1]))
        {
            factor = Math.Pow(1000, "KMGT".IndexOf(text[^1]) + 1);
            text = text[..^1];
        }
        return double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 ? (long)(v * factor) : null;
    }

    /// <summary>
    /// Throws <see cref="KernelRequestException"/> if <paramref name="matrices"/> matrices of <paramref name="rows"/> x
    /// <paramref name="cols"/> elements of <paramref name="elementSize"/> bytes exceed the limit or .NET's array size.
    /// </summary>
    public static void EnsureFits(long rows, long cols, int matrices, int elementSize, long? limitBytes, string what)
    {
        long elements = rows * cols;
        double bytes = (double)elements * elementSize * matrices;
        long limit = limitBytes ?? AvailableBytes();
        string advice = elementSize == 8
            ? "use --dtype float32 (half the memory), fewer points, or compute the kernel in blocks of rows with --x2 subsets"
            : "use fewer points, or compute the kernel in blocks of rows with --x2 subsets";
        if (elements > Array.MaxLength)
            throw new KernelRequestException($"{what} of {rows:N0} x {cols:N0} points has {elements:N0} entries, more than one array can hold ({Array.MaxLength:N0}); {advice}");
        if (bytes > limit)
            throw new KernelRequestException($"{what} of {rows:N0} x {cols:N0} points needs {Format(bytes)} ({matrices} matrices of {(elementSize == 8 ? "float64" : "float32")}) but only {Format(limit)} of memory is available; {advice}");
    }

    /// <summary>A byte count for people: "3.2 GB".</summary>
    public static string Format(double bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB", "EB"];
        int u = 0;
        while (bytes >= 1000 && u < units.Length - 1) { bytes /= 1000; u++; }
        return bytes.ToString(bytes < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + units[u];
    }
}
