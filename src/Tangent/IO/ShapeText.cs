namespace Tangent.IO;

/// <summary>Shapes as people and numpy write them.</summary>
internal static class ShapeText
{
    /// <summary><c>[3, 4]</c>, for messages.</summary>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>
    /// A Python tuple, as the <c>shape</c> of a .npy header: <c>()</c>, <c>(5,)</c>, <c>(3, 4)</c>.
    /// The trailing comma of a 1-tuple is what makes it a tuple in Python, so numpy requires it.
    /// </summary>
    public static string FormatPythonTuple(ReadOnlySpan<int> shape) => shape.Length switch
    {
        0 => "()",
        1 => $"({shape[0]},)",
        _ => "(" + string.Join(", ", shape.ToArray()) + ")",
    };

    /// <summary>Number of elements of <paramref name="shape"/>, or -1 if it exceeds <see cref="int.MaxValue"/> or a dimension is negative.</summary>
    public static long ElementCount(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) return -1;
            n *= d;
            if (n > int.MaxValue) return -1;
        }
        return n;
    }
}
