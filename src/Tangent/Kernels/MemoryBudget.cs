using System.Globalization;

namespace Tangent.Kernels;

/// <summary>
/// Refuses work that cannot fit in memory before anything is allocated, with the estimate and what to do instead
/// (the most common failure of kernel libraries is a run that dies trying to allocate terabytes).
/// </summary>
public static class MemoryBudget
{
    /// <summary>Memory the process may still use: the GC's limit (container-aware) less what is in use.</summary>
    public static long AvailableBytes()
    {
        var info = GC.GetGCMemoryInfo();
        return Math.Max(0, info.TotalAvailableMemoryBytes - GC.GetTotalMemory(false));
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
