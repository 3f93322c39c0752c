using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tangent.IO;
using Tangent.Kernels;
using Tangent.Sharding;

namespace Tangent.Cli;

/// <summary><c>tangent store status|merge|predict</c>: inspect, assemble and solve with a tile store made by <c>tangent kernel --store</c>.</summary>
internal static class StoreCommand
{
    public static Command Create()
    {
        var cmd = new Command("store", "Work with tile stores made by 'tangent kernel --store DIR' (sharded, resumable kernels).");
        cmd.Subcommands.Add(Status());
        cmd.Subcommands.Add(Merge());
        cmd.Subcommands.Add(StorePredictCommand.Create());
        return cmd;
    }

    private static Command Status()
    {
        var dir = new Argument<string>("DIR") { Description = "the store" };
        var verify = new Option<bool>("--verify") { Description = "read every finished tile and check its checksum (reads the whole store)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of a table" };
        var cmd = new Command("status", "Tiles done and missing per shard, bytes on disk, leftovers of interrupted writes.") { dir, verify, json };
        cmd.SetAction(p =>
        {
            var store = TileStore.Open(p.GetValue(dir)!);
            bool check = p.GetValue(verify);
            var status = check
                ? ConsoleProgress.Run("verifying", pr => StoreStatus.Collect(store, true, pr), p.GetValue(json))
                : StoreStatus.Collect(store);
            if (p.GetValue(json)) Console.WriteLine(Json(store, status));
            else PrintTable(store, status, p.GetValue(dir)!);
            return CliApp.Ok;
        });
        return cmd;
    }

    private static Command Merge()
    {
        var dir = new Argument<string>("DIR") { Description = "the store" };
        var output = new Option<string>("--out", "-o") { Description = "the kernel as one .npy file (written atomically; memory use stays at two tiles)", Required = true };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress display" };
        var cmd = new Command("merge", "Assemble a complete store into one .npy kernel, verifying every tile.") { dir, output, quiet };
        cmd.SetAction(p =>
        {
            var store = TileStore.Open(p.GetValue(dir)!);
            string path = p.GetValue(output)!;
            if (Directory.Exists(path)) throw new UsageException($"--out {path}: is a directory");
            using var interruption = new Interruption();
            ConsoleProgress.Run("merge", pr => { StoreMerger.Merge(store, path, pr, interruption.Token); return 0; }, p.GetValue(quiet));
            var m = store.Manifest;
            if (!p.GetValue(quiet))
                Console.Error.WriteLine($"wrote {path}: {m.Kernel.ToUpperInvariant()} {m.Rows} x {m.Cols} {m.Dtype} ({MemoryBudget.Format((double)m.Rows * m.Cols * m.ElementSize)})");
            return CliApp.Ok;
        });
        return cmd;
    }

    private static void PrintTable(TileStore store, StoreStatusReport s, string shown)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"store {store.Directory}");
        Console.WriteLine($"  {store.Describe()}");
        Console.WriteLine($"  architecture: {store.Manifest.Architecture}");
        Console.WriteLine(string.Create(c, $"  {"shard",-9} {"tiles",7} {"done",7} {"missing",8} {"broken",7} {"bytes",10}"));
        // A store of thousands of shards would print thousands of lines: show the incomplete ones and a summary.
        var rows = s.Shards.Count <= 64 ? s.Shards : s.Shards.Where(x => !x.Complete).Take(64).ToList();
        foreach (var x in rows)
            Console.WriteLine(string.Create(c, $"  {x.Shard,-9} {x.Tiles,7} {x.Done,7} {x.Missing,8} {x.Broken,7} {MemoryBudget.Format(x.Bytes),10}"));
        if (rows.Count < s.Shards.Count) Console.WriteLine($"  ({s.Shards.Count - rows.Count} more shards not shown{(s.Complete ? "" : ", all complete")})");
        Console.WriteLine(string.Create(c, $"  {"all",-9} {s.Tiles,7} {s.Done,7} {s.Tiles - s.Done,8} {s.Shards.Sum(x => x.Broken),7} {MemoryBudget.Format(s.Bytes),10}"));
        if (s.Temporaries > 0)
            Console.WriteLine($"  {s.Temporaries} temporary file{(s.Temporaries == 1 ? "" : "s")} of interrupted writes ({MemoryBudget.Format(s.TemporaryBytes)}): ignored, and removed when their tiles are recomputed");
        if (s.FirstProblem is not null) Console.WriteLine($"  first problem: {s.FirstProblem}");
        Console.WriteLine(s.Complete
            ? $"  complete{(s.Verified ? " and verified" : "")}: merge with 'tangent store merge {shown} --out kernel.npy'"
            : $"  incomplete: run shard{(s.Incomplete.Count() == 1 ? "" : "s")} {string.Join(", ", s.Incomplete.Take(16))}{(s.Incomplete.Count() > 16 ? ", ..." : "")} (again)");
    }

    private static string Json(TileStore store, StoreStatusReport s)
    {
        var m = store.Manifest;
        var o = new Dictionary<string, object?>
        {
            ["directory"] = store.Directory, ["kernel"] = m.Kernel, ["dtype"] = m.Dtype, ["architecture"] = m.Architecture,
            ["rows"] = m.Rows, ["cols"] = m.Cols, ["symmetric"] = m.Symmetric, ["tile_size"] = m.TileSize,
            ["tiles"] = s.Tiles, ["done"] = s.Done, ["missing"] = s.Tiles - s.Done, ["bytes"] = s.Bytes,
            ["complete"] = s.Complete, ["verified"] = s.Verified, ["temporaries"] = s.Temporaries, ["first_problem"] = s.FirstProblem,
            ["shards"] = s.Shards.Select(x => new Dictionary<string, object>
            {
                ["shard"] = x.Shard.ToString(), ["tiles"] = x.Tiles, ["done"] = x.Done, ["missing"] = x.Missing, ["broken"] = x.Broken, ["bytes"] = x.Bytes,
            }).ToList(),
        };
        return JsonSerializer.Serialize(o);
    }
}
