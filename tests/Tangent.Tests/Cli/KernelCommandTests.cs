using System.Text.Json;
using Tangent.IO;

namespace Tangent.Tests.Cli;

/// <summary>`tangent kernel` end to end: conformance through the command line, and every kind of bad input.</summary>
public class KernelCommandTests
{
    public static IEnumerable<object[]> AllCases => Conformance.AnalyticCases.Select(c => new object[] { c.GetProperty("name").GetString()! });

    [Theory]
    [MemberData(nameof(AllCases))]
    public void ReproducesConformanceThroughTheCommandLine(string name)
    {
        var c = Conformance.AnalyticCase(name);
        using var dir = new CliRunner.TempDir();
        File.WriteAllText(dir.File("spec.json"), c.GetProperty("spec").GetRawText());
        WriteNpy(dir.File("x1.npy"), c.GetProperty("x1"));
        WriteNpy(dir.File("x2.npy"), c.GetProperty("x2"));
        foreach (var get in new[] { "ntk", "nngp" })
        {
            var r = CliRunner.Run("kernel", "--arch", "@" + dir.File("spec.json"), "--x1", dir.File("x1.npy"), "--x2", dir.File("x2.npy"), "--get", get, "--out", dir.File("k.npy"));
            Assert.True(r.ExitCode == 0, r.Err);
            var k = Npy.Read(dir.File("k.npy"));
            Assert.Equal(new[] { c.GetProperty("x1").GetArrayLength(), c.GetProperty("x2").GetArrayLength() }, k.Shape);
            var expected = Conformance.ToMatrix(c.GetProperty($"{get}_12")).Data;
            Assert.True(Conformance.RelativeError(k.Data, expected) <= Conformance.Tolerance, $"{name} {get}: {Conformance.RelativeError(k.Data, expected):e2}");
        }
    }

    [Fact]
    public void CsvInAndOutAndFloat32()
    {
        var c = Conformance.AnalyticCase("fc_relu_3_bias");
        using var dir = new CliRunner.TempDir();
        var x1 = Conformance.ToMatrix(c.GetProperty("x1"));
        File.WriteAllLines(dir.File("x1.csv"), Enumerable.Range(0, x1.Rows).Select(i => string.Join(",", x1.Row(i).ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));
        var spec = "dense(w=1.4142135623730951,b=0.1) > relu > dense(w=1.4142135623730951,b=0.1) > relu > dense(w=1.4142135623730951,b=0.1) > relu > dense(w=1,b=0.05)";
        var r = CliRunner.Run("kernel", "--arch", spec, "--x1", dir.File("x1.csv"), "--out", dir.File("k.csv"));
        Assert.True(r.ExitCode == 0, r.Err);
        var k = Csv.Read(dir.File("k.csv"));
        Conformance.AssertSymmetricClose(new Tangent.Linalg.Matrix<double>(k.Shape[0], k.Shape[1], k.Data), c.GetProperty("ntk_11"), "ntk_11 via csv");
        r = CliRunner.Run("kernel", "--arch", spec, "--x1", dir.File("x1.csv"), "--dtype", "float32", "--out", dir.File("k32.npy"));
        Assert.True(r.ExitCode == 0, r.Err);
        var k32 = Npy.Read(dir.File("k32.npy"));
        Assert.Equal(ElementType.Float32, k32.SourceType);
        Assert.True(Conformance.RelativeError(k32.Data, Conformance.ToMatrix(c.GetProperty("ntk_11")).Data) <= 1e-5);
    }

    public static IEnumerable<object[]> BadInputs()
    {
        // (description, arguments with {x} for a good input file and {nan} for one with a NaN, expected text in the message)
        yield return ["unknown layer", new[] { "--arch", "dense > relux > dense", "--x1", "{x}" }, "unknown layer type 'relux'"];
        yield return ["bad parameter value", new[] { "--arch", "dense(w=-2) > relu > dense", "--x1", "{x}" }, "non-negative"];
        yield return ["NaN in the data", new[] { "--arch", "dense > relu > dense", "--x1", "{nan}" }, "NaN"];
        yield return ["mismatched dimensions", new[] { "--arch", "dense > relu > dense", "--x1", "{x}", "--x2", "{other}" }, "--x2"];
        yield return ["missing file", new[] { "--arch", "dense > relu > dense", "--x1", "{missing}" }, "no such file"];
        yield return ["unreadable file", new[] { "--arch", "dense > relu > dense", "--x1", "{garbage}" }, "not a .npy file"];
        yield return ["missing spec file", new[] { "--arch", "@/nonexistent/spec.json", "--x1", "{x}" }, "no such file"];
        yield return ["unknown option value", new[] { "--arch", "dense", "--x1", "{x}", "--get", "both" }, "both"];
        yield return ["conv on flat data", new[] { "--arch", "conv > relu > flatten > dense", "--x1", "{x}" }, "image"];
        yield return ["image network without flatten", new[] { "--arch", "conv > relu", "--x1", "{img}" }, "Flatten"];
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputExitsWithTwoAndOneLineAndNoOutput(string what, string[] args, string expected)
    {
        using var dir = new CliRunner.TempDir();
        Npy.Write(dir.File("x.npy"), new double[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        Npy.Write(dir.File("nan.npy"), new double[] { 1, 2, double.NaN, 4, 5, 6 }, [2, 3]);
        Npy.Write(dir.File("other.npy"), new double[] { 1, 2, 3, 4 }, [2, 2]);
        Npy.Write(dir.File("img.npy"), new double[2 * 4 * 4 * 1], [2, 4, 4, 1]);
        File.WriteAllText(dir.File("garbage.npy"), "this is not numpy");
        var full = args.Select(a => a.Replace("{x}", dir.File("x.npy")).Replace("{nan}", dir.File("nan.npy")).Replace("{other}", dir.File("other.npy"))
            .Replace("{missing}", dir.File("missing.npy")).Replace("{garbage}", dir.File("garbage.npy")).Replace("{img}", dir.File("img.npy")))
            .Prepend("kernel").Concat(["--out", dir.File("k.npy")]).ToArray();
        var r = CliRunner.Run(full);
        Assert.True(r.ExitCode == 2, $"{what}: exit {r.ExitCode}, stderr: {r.Err}");
        Assert.Contains(expected, r.Err);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.False(File.Exists(dir.File("k.npy")), $"{what}: an output file was written");
        Assert.Empty(Directory.GetFiles(dir.Path, "k.npy*"));
    }

    [Fact]
    public void RequestTooLargeForMemoryIsRefusedWithAdvice()
    {
        using var dir = new CliRunner.TempDir();
        var rng = new Random(1);
        Npy.Write(dir.File("x.npy"), Enumerable.Range(0, 30000 * 2).Select(_ => rng.NextDouble()).ToArray(), [30000, 2]);
        var r = CliRunner.RunWithEnvironment(new Dictionary<string, string> { ["TANGENT_MEMORY_LIMIT"] = "1GB" },
            "kernel", "--arch", "dense > relu > dense", "--x1", dir.File("x.npy"), "--out", dir.File("k.npy"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("needs 14 GB", r.Err);
        Assert.Contains("--dtype float32", r.Err);
        Assert.False(File.Exists(dir.File("k.npy")));
    }

    internal static void WriteNpy(string path, JsonElement nested)
    {
        var shape = new List<int>();
        for (var e = nested; e.ValueKind == JsonValueKind.Array; e = e[0]) shape.Add(e.GetArrayLength());
        var m = Conformance.ToMatrix(nested);
        Npy.Write(path, m.Data, [.. shape]);
    }
}
