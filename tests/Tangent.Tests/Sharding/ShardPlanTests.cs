using Tangent.IO;
using Tangent.Sharding;

namespace Tangent.Tests.Sharding;

/// <summary>Shard specs, the tile grid, and the deterministic assignment of tiles to shards.</summary>
public class ShardPlanTests
{
    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/16", 3, 16)]
    [InlineData(" 2 / 4 ", 2, 4)]
    public void Parses_I_of_N(string text, int index, int count) => Assert.Equal(new ShardSpec(index, count), ShardSpec.Parse(text));

    [Theory]
    [InlineData("4/4", "must be below 4")]
    [InlineData("1/0", "at least 1")]
    [InlineData("-1/4", "expected I/N")]
    [InlineData("a/b", "expected I/N")]
    [InlineData("3", "expected I/N")]
    [InlineData("1/2/3", "expected I/N")]
    public void Rejects_bad_shards_with_one_line(string text, string why)
    {
        var e = Assert.Throws<DataFormatException>(() => ShardSpec.Parse(text));
        Assert.Contains(why, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(300, 300, 37, true, 7)]
    [InlineData(300, 300, 300, true, 1)]
    [InlineData(130, 45, 16, false, 4)]
    [InlineData(1000, 1000, 64, true, 9)]
    public void Every_tile_belongs_to_exactly_one_shard_and_shards_are_balanced(int rows, int cols, int tile, bool symmetric, int shards)
    {
        var grid = new TileGrid(rows, cols, tile, symmetric);
        var seen = new Dictionary<TileIndex, int>();
        var counts = new int[shards];
        for (int s = 0; s < shards; s++)
            foreach (var t in grid.TilesOf(new ShardSpec(s, shards)))
            {
                Assert.True(seen.TryAdd(t, s), $"tile {t} in shards {seen.GetValueOrDefault(t)} and {s}");
                counts[s]++;
            }
        Assert.Equal(grid.Tiles.Count, seen.Count);
        Assert.InRange(counts.Max() - counts.Min(), 0, 1);
        for (int k = 0; k < grid.Tiles.Count; k++) Assert.Equal(k, grid.OrdinalOf(grid.Tiles[k]));
    }

    [Theory]
    [InlineData(300, 300, 37, true)]
    [InlineData(130, 45, 16, false)]
    public void Stored_tiles_cover_each_kernel_entry_once_counting_transposes(int rows, int cols, int tile, bool symmetric)
    {
        var grid = new TileGrid(rows, cols, tile, symmetric);
        var hits = new int[rows, cols];
        foreach (var t in grid.Tiles)
        {
            var (r0, rn) = grid.RowRange(t.Row);
            var (c0, cn) = grid.ColRange(t.Col);
            for (int i = r0; i < r0 + rn; i++)
                for (int j = c0; j < c0 + cn; j++)
                {
                    hits[i, j]++;
                    if (symmetric && t.Row != t.Col) hits[j, i]++;
                }
        }
        foreach (int h in hits) Assert.Equal(1, h);
        if (symmetric) Assert.All(grid.Tiles, t => Assert.True(t.Col >= t.Row));
    }
}
