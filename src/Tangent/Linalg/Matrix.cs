using System.Numerics;

namespace Tangent.Linalg;

/// <summary>
/// A dense row-major matrix over <see cref="double"/> or <see cref="float"/>: the one matrix type of Tangent.
/// Element (i, j) lives at <c>Data[i * Cols + j]</c>.
/// </summary>
public sealed class Matrix<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Number of rows.</summary>
    public int Rows { get; }
    /// <summary>Number of columns.</summary>
    public int Cols { get; }
    /// <summary>Row-major storage, length <c>Rows * Cols</c>.</summary>
    public T[] Data { get; }

    /// <summary>A zero matrix.</summary>
    public Matrix(int rows, int cols)
    {
        if (rows < 0 || cols < 0) throw new ArgumentOutOfRangeException(nameof(rows), "matrix dimensions must be non-negative");
        Rows = rows; Cols = cols;
        Data = GC.AllocateUninitializedArray<T>(checked(rows * cols));
        Array.Clear(Data);
    }

    /// <summary>Wraps existing row-major storage without copying.</summary>
    public Matrix(int rows, int cols, T[] data)
    {
        if ((long)rows * cols != data.Length) throw new ArgumentException($"storage has {data.Length} elements, expected {rows}x{cols}");
        Rows = rows; Cols = cols; Data = data;
    }

    /// <summary>Element (i, j).</summary>
    public T this[int i, int j]
    {
        get => Data[i * Cols + j];
        set => Data[i * Cols + j] = value;
    }

    /// <summary>Row <paramref name="i"/> as a span.</summary>
    public Span<T> Row(int i) => Data.AsSpan(i * Cols, Cols);

    /// <summary>A deep copy.</summary>
    public Matrix<T> Clone() => new(Rows, Cols, (T[])Data.Clone());

    /// <summary>The transpose, as a new matrix.</summary>
    public Matrix<T> Transpose()
    {
        var t = new Matrix<T>(Cols, Rows);
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++)
                t.Data[j * Rows + i] = Data[i * Cols + j];
        return t;
    }

    /// <summary>
    /// Makes a square matrix symmetric by copying its upper triangle onto the lower one, in place. Use it after
    /// <see cref="ILinearAlgebraBackend.SyrkUpper(int, int, double, ReadOnlySpan{double}, Span{double})"/>, which leaves
    /// the lower triangle unspecified.
    /// </summary>
    public void MirrorUpperToLower()
    {
        if (Rows != Cols) throw new InvalidOperationException($"a {Rows}x{Cols} matrix is not square");
        RowMajor.MirrorUpperToLower<T>(Rows, Data);
    }

    /// <summary>Builds a matrix from a jagged array (handy in tests and fixtures).</summary>
    public static Matrix<T> FromRows(T[][] rows)
    {
        int r = rows.Length, c = r == 0 ? 0 : rows[0].Length;
        var m = new Matrix<T>(r, c);
        for (int i = 0; i < r; i++)
        {
            if (rows[i].Length != c) throw new ArgumentException($"row {i} has {rows[i].Length} entries, expected {c}");
            rows[i].CopyTo(m.Data, i * c);
        }
        return m;
    }
}
