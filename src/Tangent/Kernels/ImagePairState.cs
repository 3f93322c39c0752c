using System.Numerics;

namespace Tangent.Kernels;

/// <summary>The spatial extent of a feature map: H x W positions (1-D inputs are 1 x L).</summary>
public readonly record struct Geometry(int H, int W)
{
    /// <summary>Number of positions.</summary>
    public int P => H * W;
}

/// <summary>
/// The infinite-width state of one pair of images (x, x'): the NNGP covariance and NTK between every position of x and
/// every position of x' (a P1 x P2 grid, row-major), or, when the network never pools, only between equal positions
/// (zipped: P entries). Var1 and Var2 hold the per-position variances of x and x' for the current layer, supplied by
/// the engine from each image paired with itself. Buffers are reused across pairs; arrays carry
/// <see cref="Guard"/> spare elements on both sides so vector loops may read a little past either end.
/// </summary>
public sealed class ImagePairState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Spare elements before index 0 and after the end of every buffer.</summary>
    public const int Guard = 64;

    /// <summary>Geometry of x's feature map.</summary>
    public Geometry G1 { get; set; }
    /// <summary>Geometry of x''s feature map.</summary>
    public Geometry G2 { get; set; }
    /// <summary>True when only equal positions are tracked (then G1 == G2 and arrays have P entries).</summary>
    public bool Zip { get; set; }
    /// <summary>True once a Flatten or global pooling has reduced the state to one NNGP and one NTK value.</summary>
    public bool IsFlat { get; set; }
    /// <summary>Whether the NTK is tracked.</summary>
    public bool WithNtk { get; set; }
    /// <summary>True while the NTK is known to be zero (before the first weight layer), so it need not be summed.</summary>
    public bool NtkIsZero { get; set; }

    /// <summary>NNGP entries, starting at <see cref="Guard"/>.</summary>
    public T[] Nngp = [];
    /// <summary>NTK entries, starting at <see cref="Guard"/>.</summary>
    public T[] Ntk = [];
    /// <summary>Scratch for out-of-place operations (swapped with <see cref="Nngp"/>).</summary>
    public T[] NngpSpare = [];
    /// <summary>Scratch for out-of-place operations (swapped with <see cref="Ntk"/>).</summary>
    public T[] NtkSpare = [];
    /// <summary>Per-position variances of x.</summary>
    public T[] Var1 = [];
    /// <summary>Per-position variances of x'.</summary>
    public T[] Var2 = [];

    /// <summary>Number of entries: P1·P2, or P when zipped, or 1 when flat.</summary>
    public int Count => IsFlat ? 1 : Zip ? G1.P : G1.P * G2.P;

    /// <summary>The NNGP entries as a span.</summary>
    public Span<T> NngpSpan => Nngp.AsSpan(Guard, Count);
    /// <summary>The NTK entries as a span (empty when not tracked).</summary>
    public Span<T> NtkSpan => WithNtk ? Ntk.AsSpan(Guard, Count) : default;

    /// <summary>Makes sure every buffer can hold <paramref name="count"/> entries and the variances <paramref name="p1"/>, <paramref name="p2"/>.</summary>
    public void Reserve(int count, int p1, int p2)
    {
        int need = count + 2 * Guard;
        if (Nngp.Length < need) { Nngp = new T[need]; NngpSpare = new T[need]; Ntk = new T[need]; NtkSpare = new T[need]; }
        if (Var1.Length < p1) Var1 = new T[p1];
        if (Var2.Length < p2) Var2 = new T[p2];
    }

    /// <summary>Swaps the spare buffers in after an out-of-place operation.</summary>
    public void SwapBuffers()
    {
        (Nngp, NngpSpare) = (NngpSpare, Nngp);
        (Ntk, NtkSpare) = (NtkSpare, Ntk);
    }

    /// <summary>A copy of this state into <paramref name="target"/> (for combinators' branches).</summary>
    public void CopyTo(ImagePairState<T> target)
    {
        target.Reserve(Count, G1.P, G2.P);
        target.G1 = G1; target.G2 = G2; target.Zip = Zip; target.IsFlat = IsFlat; target.WithNtk = WithNtk; target.NtkIsZero = NtkIsZero;
        NngpSpan.CopyTo(target.Nngp.AsSpan(Guard));
        if (WithNtk) NtkSpan.CopyTo(target.Ntk.AsSpan(Guard));
        Var1.AsSpan(0, IsFlat ? 1 : G1.P).CopyTo(target.Var1);
        Var2.AsSpan(0, IsFlat ? 1 : G2.P).CopyTo(target.Var2);
    }

    /// <summary>A pair block over the current entries, for elementwise (flat) transforms.</summary>
    public void AttachBlock(PairBlock<T> block)
    {
        if (IsFlat) block.Attach(Nngp, WithNtk ? Ntk : null, Guard, 1, 1, 1, Var1, Var2);
        else if (Zip) block.Attach(Nngp, WithNtk ? Ntk : null, Guard, G1.P, 1, G1.P, Var1, Var2, zip: true);
        else block.Attach(Nngp, WithNtk ? Ntk : null, Guard, G2.P, G1.P, G2.P, Var1, Var2);
    }
}
