using System.Text.Json;
using Tangent.Tests.Cli;

namespace Tangent.Tests.Experiments;

/// <summary>`tangent falsify` as a user runs it: the report and verdict on success, exit code 2 and nothing written on bad input.</summary>
public class FalsifyCommandTests
{
    [Fact]
    public void WritesVerdictAndSelfContainedReport()
    {
        using var dir = new CliRunner.TempDir();
        string outDir = dir.File("report");
        var r = CliRunner.Run("falsify", "--task", "teacher-poly", "--dim", "4", "--width", "32", "--n", "20,40", "--test", "60", "--seeds", "2",
            "--steps", "30", "--metrics", "test-loss,sample-efficiency,kernel-alignment", "--out", outDir, "-q");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("| test-loss ↓ |", r.Out);            // the Markdown table in the terminal
        Assert.Contains("**Verdict: ", r.Out);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "verdict.json")));
        var root = json.RootElement;
        Assert.Contains(root.GetProperty("verdict").GetString(), new[] { "explained-by-kernel", "needs-feature-learning", "inconclusive" });
        var metrics = root.GetProperty("metrics");
        Assert.Equal(3, metrics.GetArrayLength());
        foreach (var m in metrics.EnumerateArray())
            foreach (var model in new[] { "network", "linearised", "ntk", "nngp" })
            {
                var v = m.GetProperty("values").GetProperty(model);
                Assert.Equal(2, v.GetProperty("per_seed").GetArrayLength());
                Assert.Equal(2, v.GetProperty("interval").GetArrayLength());
            }
        Assert.Equal(root.GetProperty("verdict").GetString(), metrics[0].GetProperty("verdict").GetString());
        // The verdict's "experiment" block is an experiment file that repeats the run.
        var again = Tangent.Experiments.ExperimentFile.Parse(root.GetProperty("experiment").GetRawText());
        Assert.Equal(new Tangent.Experiments.TaskSpec { Name = "teacher-poly", Dim = 4 }, again.Task);
        Assert.Equal([20, 40], again.TrainSizes);
        Assert.Equal((60, 2, 32, 30), (again.TestSize, again.Seeds, again.Width, again.Training.Steps));
        Assert.Equal([Tangent.Experiments.FalsifierMetric.TestLoss, Tangent.Experiments.FalsifierMetric.SampleEfficiency, Tangent.Experiments.FalsifierMetric.KernelAlignment], again.Metrics);
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        // Self-contained: every figure embedded, nothing fetched.
        int images = html.Split("src=\"data:image/png;base64,").Length - 1;
        Assert.True(images >= 6, $"{images} figures");
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("What this means", html);
        Assert.Equal(["report.html", "verdict.json"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData("--task", "no-such-task")]
    [InlineData("--task", "sparse-parity", "--degree", "3")]
    [InlineData("--task", "teacher-poly", "--metrics", "test-accuracy")]
    [InlineData("--task", "sparse-parity", "--seeds", "1")]
    [InlineData("--task", "sparse-parity", "--n", "100,50")]
    [InlineData("--task", "digits", "--n", "2000")]
    [InlineData("--task", "sparse-parity", "--arch", "dense > nosuchlayer")]
    public void BadRequestsExitWithTwoAndWriteNothing(params string[] args)
    {
        using var dir = new CliRunner.TempDir();
        string outDir = dir.File("out");
        var r = CliRunner.Run(["falsify", .. args, "--out", outDir, "-q"]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("tangent: error: ", r.Err);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.False(Directory.Exists(outDir), "no output directory may be left");
    }

    [Theory]
    [InlineData("""{"task": "sparse-parity", "steps": 10}""", "\"steps\": unknown key")]
    [InlineData("""{"task": "nonsense-task"}""", "unknown task 'nonsense-task'")]
    [InlineData("""{"task": {"name": "teacher-poly", "degree": "two"}}""", "expected an integer")]
    [InlineData("""{"task": "sparse-parity", """, "not valid JSON")]
    public void BadExperimentFilesExitWithTwoAndWriteNothing(string json, string expected)
    {
        using var dir = new CliRunner.TempDir();
        File.WriteAllText(dir.File("e.json"), json);
        var r = CliRunner.Run("falsify", "--experiment", dir.File("e.json"), "--out", dir.File("out"), "-q");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err);
        Assert.False(Directory.Exists(dir.File("out")));
    }
}

/// <summary>A failure in the middle of a run (training that diverges) writes nothing either.</summary>
public class FalsifyFailureTests
{
    [Fact]
    public void DivergedTrainingExitsWithTwoAndWritesNothing()
    {
        using var dir = new CliRunner.TempDir();
        string outDir = dir.File("out");
        var r = CliRunner.Run("falsify", "--task", "teacher-poly", "--dim", "4", "--width", "16", "--n", "10", "--test", "10", "--seeds", "2",
            "--steps", "50", "--lr", "1e8", "--out", outDir, "-q");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("diverged", r.Err);
        Assert.False(Directory.Exists(outDir));
    }
}
