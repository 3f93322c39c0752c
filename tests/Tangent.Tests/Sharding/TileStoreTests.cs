using Tangent.IO;
using Tangent.Sharding;
using Tangent.Tests.IO;

namespace Tangent.Tests.Sharding;

/// <summary>The store on disk: manifest checks, atomic tiles, verification on read, repair on rerun.</summary>
public class TileStoreTests
{
    private static KernelStoreJob Job(int n = 90, int tile = 32, int seed = 1, string arch = StoreFixtures.Relu3) =>
        StoreFixtures.FlatJob(StoreFixtures.Points(n, 7, seed), tile, arch: arch);

    [Fact]
    public void Manifest_round_trips_and_a_different_job_is_refused_naming_each_difference()
    {
        using var dir = new TempDir();
        var store = TileStore.CreateOrOpen(dir.Path, Job().Manifest(3));
        Assert.Equal((Job().Manifest(3) with { Created = store.Manifest.Created }).ToJson(), store.Manifest.ToJson());
        Assert.Empty(TileStore.Open(dir.Path).Manifest.DifferencesFrom(Job().Manifest(3)));

        var other = Assert.Throws<DataFormatException>(() => TileStore.CreateOrOpen(dir.Path, Job(seed: 2, tile: 40, arch: StoreFixtures.Erf2).Manifest(4)));
        foreach (var what in new[] { "the architecture", "the tile size", "the shard count", "the inputs x1" }) Assert.Contains(what, other.Message);
        Assert.DoesNotContain("the kernel:", other.Message);
        Assert.DoesNotContain('\n', other.Message);
    }

    [Fact]
    public void Shards_starting_together_on_a_new_store_agree_on_one_manifest()
    {
        using var dir = new TempDir();
        var job = Job();
        Parallel.For(0, 8, _ => TileStore.CreateOrOpen(dir.Path, job.Manifest(8)));
        Assert.Equal(["manifest.json", "tiles"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_flipped_bit_is_caught_on_read_and_repaired_by_the_rerun_to_the_same_bits()
    {
        using var dir = new TempDir();
        var job = Job();
        var store = TileStore.CreateOrOpen(dir.Path, job.Manifest(2));
        Assert.Equal(3, job.RunShard(store, new ShardSpec(0, 2)).Computed);
        var victim = store.Grid.TilesOf(new ShardSpec(0, 2)).ElementAt(1);
        byte[] good = File.ReadAllBytes(store.TilePath(victim));
        byte[] bad = (byte[])good.Clone();
        bad[^100] ^= 0x10;
        File.WriteAllBytes(store.TilePath(victim), bad);

        Assert.False(new TileReader(store).TryRead(victim, out _, out string? problem));
        Assert.Equal("checksum mismatch", problem);
        var e = Assert.Throws<DataFormatException>(() => new TileReader(store).Read(victim));
        Assert.Contains($"tile {victim.Name} is corrupt (checksum mismatch); rerun its shard 0/2", e.Message);
        var status = StoreStatus.Collect(store, verify: true);
        Assert.Equal(1, status.Shards[0].Broken);
        Assert.Equal(0, StoreStatus.Collect(store, verify: false).Shards[0].Broken);   // without --verify only sizes are checked

        var report = job.RunShard(store, new ShardSpec(0, 2));
        Assert.Equal((1, 2, 1), (report.Computed, report.Skipped, report.Repaired));
        Assert.Equal(good, File.ReadAllBytes(store.TilePath(victim)));
    }

    [Fact]
    public void Truncated_tiles_tiles_without_records_and_foreign_records_are_not_done()
    {
        using var dir = new TempDir();
        var job = Job();
        var store = TileStore.CreateOrOpen(dir.Path, job.Manifest(1));
        job.RunShard(store, ShardSpec.Whole);
        var tiles = store.Grid.Tiles;
        using (var f = new FileStream(store.TilePath(tiles[0]), FileMode.Open)) f.SetLength(f.Length - 8);
        File.Delete(store.RecordPath(tiles[1]));                                  // killed between the two writes
        File.Copy(store.RecordPath(tiles[3]), store.RecordPath(tiles[2]), overwrite: true);  // describes another tile

        Assert.Equal(TileStateKind.Broken, store.Inspect(tiles[0]).Kind);
        Assert.Contains("bytes, the record says", store.Inspect(tiles[0]).Problem);
        Assert.Equal(TileStateKind.Missing, store.Inspect(tiles[1]).Kind);
        Assert.Equal("its record describes another tile", store.Inspect(tiles[2]).Problem);
        var report = job.RunShard(store, ShardSpec.Whole);
        Assert.Equal((3, tiles.Count - 3, 2), (report.Computed, report.Skipped, report.Repaired));
        Assert.True(StoreStatus.Collect(store, verify: true).Complete);
    }

    [Fact]
    public void Leftover_temporaries_are_ignored_then_removed_when_their_tile_is_written()
    {
        using var dir = new TempDir();
        var job = Job();
        var store = TileStore.CreateOrOpen(dir.Path, job.Manifest(1));
        var t = store.Grid.Tiles[0];
        File.WriteAllBytes(store.TilePath(t) + ".tmp-0123456789ab", new byte[1234]);
        Assert.Equal(TileStateKind.Missing, store.Inspect(t).Kind);
        var before = StoreStatus.Collect(store);
        Assert.Equal((1, 1234L), (before.Temporaries, before.TemporaryBytes));
        job.RunShard(store, ShardSpec.Whole);
        Assert.Empty(store.Temporaries());
    }

    [Fact]
    public void A_shard_count_other_than_the_stores_is_refused()
    {
        using var dir = new TempDir();
        var job = Job();
        var store = TileStore.CreateOrOpen(dir.Path, job.Manifest(4));
        var e = Assert.Throws<DataFormatException>(() => job.RunShard(store, new ShardSpec(1, 3)));
        Assert.Contains("split into 4 shards, so --shard must be I/4", e.Message);
    }

    [Fact]
    public void Merge_writes_a_standard_npy_equal_to_the_dense_assembly_and_refuses_incomplete_stores()
    {
        using var dir = new TempDir();
        var job = StoreFixtures.FlatJob(StoreFixtures.Points(70, 5, 3), 16, f32: true);
        var store = TileStore.CreateOrOpen(dir.File("s"), job.Manifest(2));
        job.RunShard(store, new ShardSpec(1, 2));
        var e = Assert.Throws<DataFormatException>(() => StoreMerger.Merge(store, dir.File("k.npy")));
        Assert.Contains("incomplete", e.Message);
        Assert.Contains("shards 0/2", e.Message);
        Assert.False(File.Exists(dir.File("k.npy")));

        job.RunShard(store, new ShardSpec(0, 2));
        StoreMerger.Merge(store, dir.File("k.npy"));
        var merged = Npy.Read(dir.File("k.npy"));
        Assert.Equal(ElementType.Float32, merged.SourceType);
        Assert.Equal([70, 70], merged.Shape);
        TileDeterminismTests.AssertBits(StoreMerger.ReadDense(store).Data, merged.Data);
        Assert.Throws<DataFormatException>(() => StoreMerger.Merge(store, dir.File("k.csv")));
    }
}
