using System.Numerics.Tensors;

namespace Tangent.IO;

/// <summary>
/// An n-dimensional array read from a file. The numbers are always held as <see cref="double"/>, in C
/// (row-major) order, whatever the file stored; <see cref="SourceType"/> remembers what it stored.
/// The first axis indexes examples, so an array is also a table of <see cref="Rows"/> rows of
/// <see cref="RowLength"/> numbers each.
/// </summary>
public sealed class NdArray
{
    /// <summary>Wraps <paramref name="data"/> (not copied) as an array of the given shape.</summary>
    /// <exception cref="ArgumentException">A negative dimension, or a shape whose size is not <c>data.Length</c>.</exception>
    public NdArray(int[] shape, double[] data, ElementType sourceType = ElementType.Float64)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long size = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension in shape {ShapeText.Format(shape)}", nameof(shape));
            size *= d;
            if (size > int.MaxValue) throw new ArgumentException($"shape {ShapeText.Format(shape)} has more than {int.MaxValue} elements", nameof(shape));
        }
        if (size != data.Length)
            throw new ArgumentException($"shape {ShapeText.Format(shape)} needs {size} elements but data has {data.Length}", nameof(data));

        Shape = (int[])shape.Clone();
        Data = data;
        SourceType = sourceType;
        // Computed from the shape, not as Data.Length / Rows, so that an array with zero examples still
        // knows how long each example would be.
        int rowLength = 1;
        for (int i = 1; i < shape.Length; i++) rowLength *= shape[i];
        RowLength = rowLength;
    }

    /// <summary>The dimensions; empty for a 0-d (scalar) array.</summary>
    public int[] Shape { get; }

    /// <summary>The elements in C order; its length is the product of <see cref="Shape"/>.</summary>
    public double[] Data { get; }

    /// <summary>The element type of the file the array was read from.</summary>
    public ElementType SourceType { get; }

    /// <summary>Length of the first axis (the number of examples); a 0-d array counts as one row.</summary>
    public int Rows => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>Product of all axes but the first: the numbers per example (1 for 0-d and 1-d arrays).</summary>
    public int RowLength { get; }

    /// <summary>
    /// Throws if any element is NaN or infinite, naming the first one, as in
    /// <c>x1.npy: element 17 (row 3) is NaN</c> (element and row counted from 0).
    /// </summary>
    /// <param name="name">What to call the array in the message, usually its file name.</param>
    /// <exception cref="DataFormatException">An element is not finite.</exception>
    public void EnsureFinite(string name)
    {
        // Scan in blocks with the vectorised test and only look element by element inside the block that
        // fails: kernels of 10^8 elements are checked at memory speed.
        const int Block = 1 << 16;
        ReadOnlySpan<double> all = Data;
        for (int start = 0, n; start < all.Length; start += n)
        {
            n = Math.Min(Block, all.Length - start);
            ReadOnlySpan<double> block = all.Slice(start, n);
            if (TensorPrimitives.IsFiniteAll(block)) continue;
            for (int i = 0; i < block.Length; i++)
            {
                double v = block[i];
                if (double.IsFinite(v)) continue;
                int index = start + i;
                int row = RowLength == 0 ? 0 : index / RowLength;
                string what = double.IsNaN(v) ? "NaN" : "infinite";
                throw new DataFormatException($"{name}: element {index} (row {row}) is {what}");
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"NdArray{ShapeText.Format(Shape)} from {SourceType}";
}
