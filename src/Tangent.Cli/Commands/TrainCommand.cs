using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tangent.Experiments;
using Tangent.IO;
using Tangent.Networks;
using Tangent.Reports;

namespace Tangent.Cli;

/// <summary>
/// <c>tangent train</c>: trains one finite network (and its linearisation, in lockstep) on a built-in task and measures
/// how far it leaves the kernel regime; writes DIR/metrics.jsonl (one record per observed step), DIR/summary.json and
/// DIR/training.png/.svg, DIR/kernel.png/.svg.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var o = new TrainOptions();
        var width = new Option<int>("--width") { Description = "hidden width", DefaultValueFactory = _ => 256 };
        var parameterization = new Option<string>("--parameterization") { Description = "ntk, standard, mup or mean_field", DefaultValueFactory = _ => "ntk" };
        parameterization.AcceptOnlyFromAmong(NetworkParameterizationNames.All);
        var lr = new Option<double>("--learning-rate", "--lr") { Description = "base learning rate η (divided by α² when --alpha is set)", DefaultValueFactory = _ => 0.5 };
        var alpha = new Option<double?>("--alpha") { Description = "output scale α: train α·(f − f₀) with rate η/α² (Chizat, Oyallon & Bach); large: lazy, small: rich" };
        var seed = new Option<ulong>("--seed") { Description = "seed of the initialisation and batch order", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out", "-o") { Description = "output directory", Required = true };
        var cmd = new Command("train", "Train a finite network and its linearisation; measure parameter and kernel movement along the way.") { width, parameterization, lr, alpha, seed, output };
        foreach (var option in o.All) cmd.Options.Add(option);
        cmd.SetAction(p =>
        {
            string dir = p.GetValue(output)!;
            if (File.Exists(dir)) throw new UsageException($"--out {dir}: is a file; give a directory");
            if (p.GetValue(alpha) is { } a && !(a > 0)) throw new UsageException($"--alpha must be positive, got {a}");
            var config = o.Config(p, p.GetValue(width), NetworkParameterizationNames.Parse(p.GetValue(parameterization)!), p.GetValue(alpha), p.GetValue(lr), p.GetValue(seed));
            Directory.CreateDirectory(dir);
            bool quiet = p.GetValue(o.Quiet);
            var result = ConsoleProgress.Run("train", progress => TrainingRun.Run(config, null, progress), quiet);
            TrainingJson.WriteLines(Path.Combine(dir, "metrics.jsonl"), result.Records);
            WriteSummary(Path.Combine(dir, "summary.json"), result);
            TrainingPlots.WriteRun(result, dir);
            var f = result.Final;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{config.Label}: test loss {f.TestLoss:G4} (linearised {f.LinTestLoss:G4}), test accuracy {f.TestAccuracy:P1}, param change {f.ParamChange:G3}, kernel change {f.KernelChange:G3}, |f - f_lin| {f.OutputGap:G3}"));
            return CliApp.Ok;
        });
        return cmd;
    }

    private static void WriteSummary(string path, TrainingRunResult r)
    {
        var json = new Dictionary<string, object?>
        {
            ["config"] = TrainingJson.Config(r.Config),
            ["parameters"] = r.ParameterCount,
            ["exact_linearization"] = r.ExactLinearization,
            ["final"] = r.Final,
        };
        AtomicFile.Write(path, s => JsonSerializer.Serialize(s, json, TrainingJson.Indented));
    }
}
