using System.Text.Json;

namespace Tangent.Tests.Cli;

/// <summary><c>tangent mup coord-check|transfer</c> end to end at tiny sizes: files, keys, thread independence, bad input.</summary>
public class MupCommandTests
{
    private static readonly string[] CoordArgs = ["mup", "coord-check", "--widths", "8,16", "--steps", "2", "--seeds", "1", "--batch", "8", "-q"];
    private static readonly string[] TransferArgs = ["mup", "transfer", "--widths", "8,16", "--steps", "3", "--seeds", "1", "--batch", "8", "--lr-grid=-4:-2", "-q"];

    private static string WithoutSeconds(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove("seconds");
        return node.ToJsonString();
    }

    [Fact]
    public void CoordCheckWritesSlopesPerLayerAndPlotsTheSameWithOneOrTwoThreads()
    {
        using var dir = new CliRunner.TempDir();
        var r1 = CliRunner.Run([.. CoordArgs, "--threads", "1", "--out", dir.File("a")]);
        Assert.True(r1.ExitCode == 0, r1.Err);
        var r2 = CliRunner.Run([.. CoordArgs, "--threads", "2", "--out", dir.File("b")]);
        Assert.True(r2.ExitCode == 0, r2.Err);
        string a = File.ReadAllText(Path.Combine(dir.File("a"), "coord_check.json"));
        Assert.Equal(WithoutSeconds(a), WithoutSeconds(File.ReadAllText(Path.Combine(dir.File("b"), "coord_check.json"))));
        using var json = JsonDocument.Parse(a);
        var layers = json.RootElement.GetProperty("layers").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(7, layers.Length);
        Assert.Equal(layers[^1], json.RootElement.GetProperty("output_layer").GetString());
        foreach (var p in new[] { "sp", "mup" })
            foreach (var layer in layers)
                Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("slopes").GetProperty(p).GetProperty(layer).ValueKind);
        Assert.Equal("sgd", json.RootElement.GetProperty("slopes_optimizer").GetString());
        Assert.Equal(4, json.RootElement.GetProperty("panels").GetArrayLength());
        foreach (var f in new[] { "coord_check_change.png", "coord_check_change.svg", "coord_check_size.png", "coord_check_size.svg" })
            Assert.True(new FileInfo(Path.Combine(dir.File("a"), f)).Length > 1000, f);
    }

    [Fact]
    public void TransferWritesTheBestRatePerWidthAndThePlot()
    {
        using var dir = new CliRunner.TempDir();
        var r = CliRunner.Run([.. TransferArgs, "--out", dir.Path]);
        Assert.True(r.ExitCode == 0, r.Err);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("transfer.json")));
        double[] grid = [-4, -3, -2];
        foreach (var p in new[] { "sp", "mup" })
            foreach (var w in new[] { "8", "16" })
            {
                var best = json.RootElement.GetProperty("optimal_log2_lr").GetProperty(p).GetProperty(w);
                if (best.ValueKind != JsonValueKind.Null) Assert.Contains(best.GetDouble(), grid);
            }
        Assert.Equal(4, json.RootElement.GetProperty("sweeps").GetArrayLength());
        Assert.True(new FileInfo(dir.File("transfer.png")).Length > 1000);
        Assert.True(File.Exists(dir.File("transfer.svg")));
    }

    public static IEnumerable<object[]> BadInputs() =>
    [
        [new[] { "mup", "coord-check", "--optimizers", "rmsprop" }, "rmsprop"],
        [new[] { "mup", "coord-check", "--widths", "64" }, "two widths"],
        [new[] { "mup", "coord-check", "--parameterizations", "ntk2" }, "ntk2"],
        [new[] { "mup", "coord-check", "--arch", "dense > relu > dense(n=3)", "--widths", "8,16" }, "outputs"],
        [new[] { "mup", "coord-check", "--task", "nope", "--widths", "8,16" }, "nope"],
        [new[] { "mup", "transfer", "--lr-grid=a:b" }, "--lr-grid"],
        [new[] { "mup", "transfer", "--task", "teacher", "--loss", "cross_entropy" }, "one output"],
    ];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputExitsWithTwoAndNamesTheProblem(string[] args, string mention)
    {
        using var dir = new CliRunner.TempDir();
        var r = CliRunner.Run([.. args, "--out", dir.File("out")]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(mention, r.Err);
        Assert.False(Directory.Exists(dir.File("out")));
    }
}
