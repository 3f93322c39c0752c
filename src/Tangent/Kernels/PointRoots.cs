namespace Tangent.Kernels;

/// <summary>
/// Per-thread scratch for √v and 1/√v of a block's row and column points, which the arc-cosine kernel loops compute once
/// per block so that the pair loop needs no division and no square root but the one inside arcsin.
/// </summary>
internal sealed class PointRoots<T> where T : unmanaged
{
    [ThreadStatic] private static PointRoots<T>? _current;

    /// <summary>√v and 1/√v of the row points.</summary>
    public T[] Root1 = [], Inv1 = [];
    /// <summary>√v and 1/√v of the column points.</summary>
    public T[] Root2 = [], Inv2 = [];

    /// <summary>This thread's scratch, with room for at least <paramref name="length"/> points on each side.</summary>
    public static PointRoots<T> Get(int length)
    {
        var s = _current ??= new PointRoots<T>();
        if (s.Root1.Length < length) { s.Root1 = new T[length]; s.Inv1 = new T[length]; s.Root2 = new T[length]; s.Inv2 = new T[length]; }
        return s;
    }
}
