namespace Tangent.Empirical;

/// <summary>Copies the upper triangle of a square row-major matrix onto its lower triangle, tile by tile so both walks stay in cache.</summary>
internal static class Mirror
{
    public static void UpperToLower<T>(int n, Span<T> m)
    {
        const int Tile = 32;
        for (int ib = 0; ib < n; ib += Tile)
        {
            int ie = Math.Min(ib + Tile, n);
            for (int jb = 0; jb <= ib; jb += Tile)
            {
                int je = Math.Min(jb + Tile, n);
                for (int i = ib; i < ie; i++)
                    for (int j = jb; j < Math.Min(je, i); j++)
                        m[i * n + j] = m[j * n + i];
            }
        }
    }
}
