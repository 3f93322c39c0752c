using System.Diagnostics;
using System.Text.Json;
using Tangent.Tests.Cli;

namespace Tangent.Tests.Training;

/// <summary><c>tangent train</c> and <c>tangent sweep</c> as a user runs them: outputs, bad input, and resuming a killed sweep.</summary>
public class TrainCliTests
{
    private static readonly string[] Small = ["--task", "teacher", "--train", "48", "--test", "16", "--probe", "8", "--quiet"];

    [Fact]
    public void Train_writes_metrics_summary_and_plots()
    {
        using var dir = new CliRunner.TempDir();
        var r = CliRunner.Run(["train", "--width", "32", "--steps", "20", "--observe", "5,10", "--out", dir.Path, .. Small]);
        Assert.True(r.ExitCode == 0, r.Err);
        var lines = File.ReadAllLines(dir.File("metrics.jsonl"));
        Assert.Equal([0, 5, 10, 20], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()));
        var last = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.True(last.GetProperty("kernel_change").GetDouble() > 0);
        Assert.True(last.GetProperty("param_change").GetDouble() > 0);
        Assert.True(last.GetProperty("lin_test_loss").GetDouble() > 0);
        Assert.True(last.GetProperty("train_loss").GetDouble() < JsonDocument.Parse(lines[0]).RootElement.GetProperty("train_loss").GetDouble());
        Assert.True(File.Exists(dir.File("summary.json")));
        foreach (var plot in new[] { "training", "movement", "spectrum" }) Assert.True(File.Exists(dir.File(plot + ".png")), plot);
    }

    [Theory]
    [InlineData("--task", "nonsense")]
    [InlineData("--width", "0")]
    [InlineData("--alpha", "-1")]
    [InlineData("--schedule", "sometimes")]
    [InlineData("--train", "-3")]
    [InlineData("--init-scale", "0")]
    [InlineData("--arch", "dense > wobble > dense")]
    [InlineData("--task", "digits", "--train", "1797")]
    public void Train_rejects_bad_input_with_exit_code_2(params string[] options)
    {
        using var dir = new CliRunner.TempDir();
        var r = CliRunner.Run(["train", "--steps", "2", "--out", dir.Path, .. options]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("error", r.Err);
        Assert.False(File.Exists(dir.File("metrics.jsonl")));
    }

    private static string[] SweepArgs(string dir) =>
        ["sweep", "--widths", "16,32", "--parameterization", "ntk,mup", "--seeds", "2", "--steps", "60", "--out", dir, "--train", "48", "--test", "16", "--probe", "8"];

    [Fact]
    public void A_killed_sweep_resumes_without_recomputing_and_gives_the_same_results()
    {
        using var killed = new CliRunner.TempDir();
        using var fresh = new CliRunner.TempDir();
        string points = Path.Combine(killed.Path, "points");

        // Start the sweep as a child process and kill it once some, but not all, points are finished.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Tangent.Cli.dll"));
        foreach (var a in SweepArgs(killed.Path)) start.ArgumentList.Add(a);
        using (var child = Process.Start(start)!)
        {
            child.StandardOutput.ReadToEndAsync();
            child.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (!(Directory.Exists(points) && Directory.GetFiles(points, "*.json").Length >= 2) && !child.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
            Assert.False(child.HasExited, "the sweep finished before it could be killed; make its points longer");
            child.Kill(true);
            child.WaitForExit();
        }
        var finished = Directory.GetFiles(points, "*.json").ToDictionary(f => f, f => (File.GetLastWriteTimeUtc(f), File.ReadAllBytes(f)));
        Assert.InRange(finished.Count, 2, 7);
        Assert.False(File.Exists(Path.Combine(killed.Path, "results.json")));

        var resumed = CliRunner.Run(SweepArgs(killed.Path));
        Assert.True(resumed.ExitCode == 0, resumed.Err);
        Assert.Contains($"{finished.Count} already finished", resumed.Err);
        Assert.Contains($"computed {8 - finished.Count} of 8 points", resumed.Out);
        foreach (var (file, (time, bytes)) in finished)
        {
            Assert.Equal(time, File.GetLastWriteTimeUtc(file));
            Assert.Equal(bytes, File.ReadAllBytes(file));
        }
        Assert.Equal(8, Directory.GetFiles(points, "*.json").Length);

        var uninterrupted = CliRunner.Run(SweepArgs(fresh.Path));
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Err);
        Assert.Equal(File.ReadAllText(Path.Combine(fresh.Path, "results.json")), File.ReadAllText(Path.Combine(killed.Path, "results.json")));
        var fits = JsonDocument.Parse(File.ReadAllText(Path.Combine(fresh.Path, "results.json"))).RootElement.GetProperty("fits");
        foreach (var p in new[] { "ntk", "mup" })
            foreach (var f in new[] { "kernel_change_slope", "param_change_slope" })
            {
                var fit = fits.GetProperty(p).GetProperty(f);
                double value = fit.GetProperty("value").GetDouble();
                var ci = fit.GetProperty("ci");
                Assert.InRange(value, ci[0].GetDouble(), ci[1].GetDouble());
            }

        // Running again computes nothing.
        var again = CliRunner.Run(SweepArgs(fresh.Path));
        Assert.Contains("computed 0 of 8 points", again.Out);
    }
}
