namespace Tangent.Linalg;

/// <summary>Small in-place helpers on square row-major matrices used by the backends.</summary>
internal static class RowMajor
{
    /// <summary>Transposes an n x n matrix in place, tile by tile so both the row and column walks stay in cache.</summary>
    public static void TransposeInPlace<T>(int n, Span<T> a)
    {
        const int Tile = 32;
        for (int ib = 0; ib < n; ib += Tile)
        {
            int ie = Math.Min(ib + Tile, n);
            for (int jb = ib; jb < n; jb += Tile)
            {
                int je = Math.Min(jb + Tile, n);
                for (int i = ib; i < ie; i++)
                    for (int j = Math.Max(jb, i + 1); j < je; j++)
                        (a[i * n + j], a[j * n + i]) = (a[j * n + i], a[i * n + j]);
            }
        }
    }

    /// <summary>Copies the strict upper triangle onto the strict lower one (a[j, i] = a[i, j] for j &gt; i), tile by tile.</summary>
    public static void MirrorUpperToLower<T>(int n, Span<T> a)
    {
        const int Tile = 32;
        for (int ib = 0; ib < n; ib += Tile)
        {
            int ie = Math.Min(ib + Tile, n);
            for (int jb = ib; jb < n; jb += Tile)
            {
                int je = Math.Min(jb + Tile, n);
                for (int i = ib; i < ie; i++)
                    for (int j = Math.Max(jb, i + 1); j < je; j++)
                        a[j * n + i] = a[i * n + j];
            }
        }
    }

    /// <summary>Sets the strict upper triangle (j &gt; i) to zero.</summary>
    public static void ZeroStrictUpper<T>(int n, Span<T> a)
    {
        for (int i = 0; i + 1 < n; i++)
            a.Slice(i * n + i + 1, n - i - 1).Clear();
    }
}
