using System.Numerics;

namespace Tangent.Kernels;

/// <summary>
/// The infinite-width state of a block of pairs (x1_i, x2_j) of flat inputs: the NNGP covariance and the NTK of
/// every pair, and the variances (NNGP of each point with itself) of the block's rows and columns, which the
/// activation transforms need. Pair entries live in caller-owned storage with an offset and a row stride, so a block
/// can be a tile of the output matrices themselves; the variance arrays are the block's own.
/// </summary>
public sealed class PairBlock<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows of the block (points of x1).</summary>
    public int Rows { get; private set; }
    /// <summary>Columns of the block (points of x2).</summary>
    public int Cols { get; private set; }
    /// <summary>NNGP covariances; entry (i, j) at <c>Offset + i * Stride + j</c>.</summary>
    public T[] Nngp { get; private set; } = [];
    /// <summary>NTK entries at the same positions, or null when only the NNGP is wanted.</summary>
    public T[]? Ntk { get; private set; }
    /// <summary>Index of entry (0, 0).</summary>
    public int Offset { get; private set; }
    /// <summary>Distance between rows.</summary>
    public int Stride { get; private set; }
    /// <summary>
    /// False for a grid (entry (i, j) pairs row point i with column point j); true for a zipped block of one row whose
    /// entry j pairs <c>Var1[j]</c> with <c>Var2[j]</c> (the per-position variances of two images, when a network needs
    /// only the diagonal of the position-position covariance).
    /// </summary>
    public bool Zip { get; private set; }
    /// <summary>Length of <see cref="Var1"/> in use: <see cref="Rows"/>, or <see cref="Cols"/> when zipped.</summary>
    public int Var1Count => Zip ? Cols : Rows;
    /// <summary>Variance of the row point of each entry, length at least <see cref="Var1Count"/>.</summary>
    public T[] Var1 { get; private set; } = [];
    /// <summary>Variance of each column point, length at least <see cref="Cols"/>.</summary>
    public T[] Var2 { get; private set; } = [];

    /// <summary>Points this block at a tile of existing matrices; the variance arrays become the block's to update.</summary>
    public void Attach(T[] nngp, T[]? ntk, int offset, int stride, int rows, int cols, T[] var1, T[] var2, bool zip = false)
    {
        if (zip && rows != 1) throw new ArgumentException("a zipped block has one row");
        Nngp = nngp; Ntk = ntk; Offset = offset; Stride = stride; Rows = rows; Cols = cols; Var1 = var1; Var2 = var2; Zip = zip;
    }

    /// <summary>Row <paramref name="i"/> of the NNGP.</summary>
    public Span<T> NngpRow(int i) => Nngp.AsSpan(Offset + i * Stride, Cols);

    /// <summary>Row <paramref name="i"/> of the NTK (empty when the NTK is not tracked).</summary>
    public Span<T> NtkRow(int i) => Ntk is null ? default : Ntk.AsSpan(Offset + i * Stride, Cols);

    /// <summary>Copies this block's state into <paramref name="target"/>, contiguous, reusing its storage when large enough.</summary>
    public void CopyTo(PairBlock<T> target)
    {
        int n = Rows * Cols;
        var nngp = target.Nngp.Length >= n ? target.Nngp : new T[n];
        var ntk = Ntk is null ? null : target.Ntk is { } t && t.Length >= n ? t : new T[n];
        var v1 = target.Var1.Length >= Var1Count ? target.Var1 : new T[Var1Count];
        var v2 = target.Var2.Length >= Cols ? target.Var2 : new T[Cols];
        for (int i = 0; i < Rows; i++)
        {
            NngpRow(i).CopyTo(nngp.AsSpan(i * Cols, Cols));
            if (ntk is not null) NtkRow(i).CopyTo(ntk.AsSpan(i * Cols, Cols));
        }
        Var1.AsSpan(0, Var1Count).CopyTo(v1);
        Var2.AsSpan(0, Cols).CopyTo(v2);
        target.Attach(nngp, ntk, 0, Cols, Rows, Cols, v1, v2, Zip);
    }
}

/// <summary>
/// The infinite-width state of points paired with themselves (the kernel's diagonal): variance and NTK of each point.
/// Kept apart from <see cref="PairBlock{T}"/> because at correlation exactly 1 the transforms take their exact limits
/// (θ = 0) instead of arccos of a rounded correlation, which would lose about 1e-10 relative in the NTK.
/// </summary>
public sealed class SelfBlock
{
    /// <summary>Number of points.</summary>
    public int Count { get; private set; }
    /// <summary>Variance (NNGP with itself) of each point.</summary>
    public double[] Var { get; private set; } = [];
    /// <summary>NTK of each point with itself, or null.</summary>
    public double[]? Ntk { get; private set; }

    /// <summary>A block over the given arrays.</summary>
    public SelfBlock(double[] var, double[]? ntk, int count) { Var = var; Ntk = ntk; Count = count; }

    /// <summary>A deep copy.</summary>
    public SelfBlock Clone() => new((double[])Var.Clone(), (double[]?)Ntk?.Clone(), Count);
}
