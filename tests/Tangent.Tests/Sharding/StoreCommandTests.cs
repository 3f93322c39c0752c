using System.Text.Json;
using Tangent.IO;
using Tangent.Sharding;
using Tangent.Tests.Cli;

namespace Tangent.Tests.Sharding;

/// <summary>`tangent kernel --store`, `tangent store status|merge|predict` as a user runs them: outputs, and exit 2 with one line for bad input.</summary>
public class StoreCommandTests
{
    private const string Arch = "dense(w=1.41,b=0.1) > relu > dense";

    private static string[] Kernel(CliRunner.TempDir dir, string store, params string[] more) =>
        ["kernel", "--arch", Arch, "--x1", dir.File("x.npy"), "--store", dir.File(store), "--tile", "16", "-q", .. more];

    private static CliRunner.TempDir WithData(int n = 60)
    {
        var dir = new CliRunner.TempDir();
        var x = StoreFixtures.Points(n, 4, seed: 31);
        Npy.Write(dir.File("x.npy"), x.Data, [x.Rows, x.Cols]);
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = Math.Sin(x[i, 0]);
        Npy.Write(dir.File("y.npy"), y, [n]);
        var xt = StoreFixtures.Points(13, 4, seed: 32);
        Npy.Write(dir.File("xt.npy"), xt.Data, [xt.Rows, xt.Cols]);
        return dir;
    }

    private static void AssertBadInput(CliRunner.Result r, string expected)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err);
        Assert.Single(r.Err.Trim().Split('\n'));
    }

    [Fact]
    public void Workers_fill_a_store_and_status_reports_it_as_table_and_json()
    {
        using var dir = WithData();
        Assert.Equal(0, CliRunner.Run(Kernel(dir, "s", "--workers", "3")).ExitCode);
        var table = CliRunner.Run("store", "status", dir.File("s"), "--verify");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("NTK float64, 60 x 60 symmetric, tiles of 16 (10 tiles), 3 shards", table.Out);
        Assert.Matches(@"all\s+10\s+10\s+0\s+0", table.Out);
        Assert.Contains("complete and verified", table.Out);

        File.Delete(Directory.GetFiles(Path.Combine(dir.File("s"), "tiles"), "*.json")[4]);
        var json = JsonDocument.Parse(CliRunner.Run("store", "status", dir.File("s"), "--json").Out).RootElement;
        Assert.False(json.GetProperty("complete").GetBoolean());
        Assert.Equal(9, json.GetProperty("done").GetInt32());
        Assert.Equal(3, json.GetProperty("shards").GetArrayLength());
        Assert.Equal(1, json.GetProperty("shards").EnumerateArray().Sum(s => s.GetProperty("missing").GetInt32()));
    }

    [Fact]
    public void A_corrupt_tile_stops_the_merge_naming_tile_and_shard_and_the_rerun_repairs_it()
    {
        using var dir = WithData();
        for (int i = 0; i < 2; i++) Assert.Equal(0, CliRunner.Run(Kernel(dir, "s", "--shard", $"{i}/2")).ExitCode);
        var store = TileStore.Open(dir.File("s"));
        var victim = store.Grid.Tiles[3];
        var bytes = File.ReadAllBytes(store.TilePath(victim));
        bytes[200] ^= 1;
        File.WriteAllBytes(store.TilePath(victim), bytes);

        AssertBadInput(CliRunner.Run("store", "merge", dir.File("s"), "--out", dir.File("k.npy")), $"tile {victim.Name} is corrupt (checksum mismatch); rerun its shard 1/2");
        Assert.False(File.Exists(dir.File("k.npy")));
        var rerun = CliRunner.Run(Kernel(dir, "s", "--shard", "1/2").Where(a => a != "-q").ToArray());
        Assert.Equal(0, rerun.ExitCode);
        Assert.Contains($"tile {victim.Name} is unusable (checksum mismatch), recomputing it", rerun.Err);
        Assert.Equal(0, CliRunner.Run("store", "merge", dir.File("s"), "--out", dir.File("k.npy")).ExitCode);
        Assert.Equal([60, 60], Npy.Read(dir.File("k.npy")).Shape);
    }

    [Fact]
    public void Mismatched_reruns_and_bad_options_exit_2_with_one_line()
    {
        using var dir = WithData();
        Assert.Equal(0, CliRunner.Run(Kernel(dir, "s", "--shard", "0/2")).ExitCode);
        AssertBadInput(CliRunner.Run(Kernel(dir, "s", "--shard", "1/2", "--get", "nngp")), "this store was made for a different job (the kernel: stored ntk, asked nngp)");
        AssertBadInput(CliRunner.Run(Kernel(dir, "s", "--shard", "1/3")), "the shard count: stored 2, asked 3");
        AssertBadInput(CliRunner.Run(Kernel(dir, "s", "--shard", "1/2", "--limit", "50")), "the inputs x1: stored [60, 4]");
        AssertBadInput(CliRunner.Run(Kernel(dir, "t", "--shard", "2/2")), "--shard '2/2': shards count from 0");
        AssertBadInput(CliRunner.Run(Kernel(dir, "t", "--shard", "2/2", "--workers", "2").Where(a => a != "--shard" && a != "2/2").Concat(["--shard", "0/2"]).ToArray()), "give one of them");
        AssertBadInput(CliRunner.Run(Kernel(dir, "t", "--out", dir.File("k.npy"))), "not both");
        AssertBadInput(CliRunner.Run("kernel", "--arch", Arch, "--x1", dir.File("x.npy"), "--shard", "0/2"), "go with --store DIR");
        AssertBadInput(CliRunner.Run("kernel", "--arch", Arch, "--x1", dir.File("x.npy")), "--out FILE is required");
        AssertBadInput(CliRunner.Run(Kernel(dir, "t", "--workers", "0")), "--workers must be at least 1");
        AssertBadInput(CliRunner.Run(Kernel(dir, "t").Select(a => a == "16" ? "4" : a).ToArray()), "--tile 4: a tile side must be between 16");
        AssertBadInput(CliRunner.Run("store", "status", dir.File("nothing")), "no such store");
        AssertBadInput(CliRunner.Run("store", "status", dir.Path), "not a tile store (no manifest.json)");
        AssertBadInput(CliRunner.Run("store", "merge", dir.File("s"), "--out", dir.File("k.npy")), "the store is incomplete: 3 of 10 tiles are not done (shards 1/2 (5 left))".Replace("3 of", "5 of"));
    }

    [Fact]
    public void Predict_from_stores_writes_predictions_and_refuses_what_it_cannot_do()
    {
        using var dir = WithData();
        Assert.Equal(0, CliRunner.Run(Kernel(dir, "train", "--workers", "2")).ExitCode);
        Assert.Equal(0, CliRunner.Run("kernel", "--arch", Arch, "--x1", dir.File("xt.npy"), "--x2", dir.File("x.npy"), "--store", dir.File("test"), "--tile", "16", "-q").ExitCode);
        string[] Predict(params string[] more) => ["store", "predict", dir.File("train"), "--y-train", dir.File("y.npy"), "--diag-reg", "1e-3", "--out", dir.File("p"), .. more];

        var ok = CliRunner.Run(Predict("--test-store", dir.File("test"), "--tol", "1e-8"));
        Assert.Equal(0, ok.ExitCode);
        Assert.Matches(@"cg: iteration\s+1\s+residual", ok.Err);
        Assert.Equal([1, 60, 1], Npy.Read(dir.File("p.train.npy")).Shape);
        Assert.Equal([1, 13, 1], Npy.Read(dir.File("p.test.npy")).Shape);
        var report = JsonDocument.Parse(File.ReadAllText(dir.File("p.solve.json"))).RootElement;
        Assert.True(report.GetProperty("converged").GetBoolean());
        Assert.True(report.GetProperty("residual").GetDouble() <= 1e-8);
        Assert.True(report.GetProperty("peak_rss_bytes").GetInt64() > 0);

        // The same predictions as the in-memory kernel form, from the merged kernels.
        Assert.Equal(0, CliRunner.Run("store", "merge", dir.File("test"), "--out", dir.File("kt.npy")).ExitCode);
        Assert.Equal(0, CliRunner.Run(Predict("--k-test-train", dir.File("kt.npy"), "--tol", "1e-8").Select(a => a == dir.File("p") ? dir.File("q") : a).ToArray()).ExitCode);
        // Same α (the same passes in the same order); K(X*, X) α summed by tiles instead of in one GEMM: rounding apart.
        TileDeterminismTests.AssertBits(Npy.Read(dir.File("p.alpha.npy")).Data, Npy.Read(dir.File("q.alpha.npy")).Data);
        TileDeterminismTests.AssertClose(Npy.Read(dir.File("p.test.npy")).Data, Npy.Read(dir.File("q.test.npy")).Data);

        AssertBadInput(CliRunner.Run(Predict("--t", "1,inf")), "t = inf only");
        AssertBadInput(CliRunner.Run(Predict("--test-store", dir.File("train"))), "this store is of one input set with itself");
        AssertBadInput(CliRunner.Run(Predict("--rank", "0", "--max-iter", "2", "--tol", "1e-12", "-q").Select(a => a == dir.File("p") ? dir.File("r") : a).ToArray()), "nothing was written");
        Assert.False(File.Exists(dir.File("r.train.npy")));
        AssertBadInput(CliRunner.Run(["store", "predict", dir.File("test"), "--y-train", dir.File("y.npy"), "--out", dir.File("z")]), "must be of the training inputs with themselves");
        AssertBadInput(CliRunner.RunWithEnvironment(new Dictionary<string, string> { ["TANGENT_MEMORY_LIMIT"] = "1MB" }, Predict("-q")), "the out-of-core solve needs at least");
    }
}
