using Tangent.IO;
using Tangent.Sharding;
using Tangent.Tests.Cli;

namespace Tangent.Tests.Sharding;

/// <summary>
/// The issue's acceptance test: four shards run as real processes, one is killed with SIGKILL in the middle of writing
/// a tile and rerun; the merged kernel is bit-identical to the one computed unsharded.
/// </summary>
public class KilledShardTests
{
    private const string Arch = StoreFixtures.Relu3;

    [Fact]
    public void Four_shards_one_killed_mid_write_and_rerun_merge_to_the_unsharded_kernel_bit_for_bit()
    {
        using var dir = new CliRunner.TempDir();
        var x = StoreFixtures.Points(200, 12, seed: 11);
        Npy.Write(dir.File("x.npy"), x.Data, [x.Rows, x.Cols]);
        string sharded = dir.File("sharded"), whole = dir.File("whole");
        string[] Kernel(string store, params string[] more) => ["kernel", "--arch", Arch, "--x1", dir.File("x.npy"), "--store", store, "--tile", "25", .. more];

        // The victim pauses between writing each tile and committing it, so the kill lands mid-write.
        var slow = new Dictionary<string, string> { ["TANGENT_TEST_TILE_PAUSE_MS"] = "400" };
        var shards = Enumerable.Range(0, 4).Select(i => new ShardProcess(i == 2 ? slow : null, Kernel(sharded, "--shard", $"{i}/4"))).ToList();
        try
        {
            string tiles = Path.Combine(sharded, TileStore.TilesFolder);
            var victimTiles = new TileGrid(200, 200, 25, symmetric: true).TilesOf(new ShardSpec(2, 4)).Select(t => t.Name).ToHashSet();
            Assert.Equal(9, victimTiles.Count);
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                Assert.True(DateTime.UtcNow < deadline, "the victim never reached the middle of its work");
                Assert.False(shards[2].HasExited, "the victim finished before it could be killed");
                var names = Directory.Exists(tiles) ? Directory.GetFiles(tiles).Select(Path.GetFileName).ToList() : [];
                int committed = names.Count(n => n!.EndsWith(".json") && victimTiles.Contains(n[..^5]));
                bool writing = names.Any(n => n!.Contains(".tmp-") && victimTiles.Contains(n[..13]));
                if (committed >= 2 && writing) break;
                Thread.Sleep(10);
            }
            shards[2].KillHard();
            Assert.Equal(137, shards[2].Wait().ExitCode); // 128 + SIGKILL
            foreach (int i in new[] { 0, 1, 3 }) Assert.Equal(0, shards[i].Wait().ExitCode);
        }
        finally { foreach (var s in shards) s.Dispose(); }

        // The kill left a temporary, which no reader takes for a tile, and the store knows it is incomplete.
        var store = TileStore.Open(sharded);
        Assert.NotEmpty(store.Temporaries());
        var status = StoreStatus.Collect(store, verify: true);
        Assert.False(status.Complete);
        Assert.Equal([new ShardSpec(2, 4)], status.Incomplete);
        Assert.InRange(status.Shards[2].Done, 2, 8);
        Assert.Equal(0, status.Shards.Sum(s => s.Broken));
        var refused = CliRunner.Run("store", "merge", sharded, "--out", dir.File("early.npy"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("incomplete", refused.Err);
        Assert.False(File.Exists(dir.File("early.npy")));

        var rerun = CliRunner.Run(Kernel(sharded, "--shard", "2/4"));
        Assert.Equal(0, rerun.ExitCode);
        Assert.Matches(@"shard 2/4: [1-7] tiles? computed, [2-8] already done", rerun.Err);
        Assert.Empty(TileStore.Open(sharded).Temporaries());

        Assert.Equal(0, CliRunner.Run(Kernel(whole)).ExitCode);  // the unsharded run: one process, every tile
        Assert.Equal(0, CliRunner.Run("store", "merge", sharded, "--out", dir.File("sharded.npy")).ExitCode);
        Assert.Equal(0, CliRunner.Run("store", "merge", whole, "--out", dir.File("whole.npy")).ExitCode);
        Assert.Equal(File.ReadAllBytes(dir.File("whole.npy")), File.ReadAllBytes(dir.File("sharded.npy")));

        // And the tiled kernel is the one-call kernel up to the rounding of X Xᵀ by BLAS blocks of other shapes.
        Assert.Equal(0, CliRunner.Run("kernel", "--arch", Arch, "--x1", dir.File("x.npy"), "--out", dir.File("direct.npy")).ExitCode);
        TileDeterminismTests.AssertClose(Npy.Read(dir.File("direct.npy")).Data, Npy.Read(dir.File("sharded.npy")).Data);
    }
}
