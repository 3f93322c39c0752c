using System.CommandLine;
using System.Globalization;
using Tangent.Experiments.Mup;
using Tangent.Networks;
using Tangent.Training;

namespace Tangent.Cli;

/// <summary>
/// <c>tangent mup coord-check|transfer</c>: μP against the standard parameterisation. The coordinate check writes
/// DIR/coord_check.json (per-layer log-log slopes against width) and its plots; the transfer experiment writes
/// DIR/transfer.json (the best log₂ learning rate per width) and the loss-against-learning-rate plot.
/// </summary>
internal static class MupCommand
{
    public static Command Create()
    {
        var cmd = new Command("mup", "muP against the standard parameterisation: coordinate checks and learning-rate transfer across width.");
        cmd.Subcommands.Add(CoordCheckCommand());
        cmd.Subcommands.Add(TransferCommand());
        return cmd;
    }

    private static Command CoordCheckCommand()
    {
        var d = new CoordCheckOptions();
        var common = new CommonOptions("64,128,256,512,1024,2048,4096", d.Steps, d.Batch, d.Seeds);
        var optimizers = new Option<string>("--optimizers") { Description = "comma list of sgd, adam (the first gives the summary 'slopes')", DefaultValueFactory = _ => "sgd,adam" };
        var sgdLr = new Option<double>("--sgd-lr") { Description = "base learning rate of SGD, the same at every width", DefaultValueFactory = _ => d.SgdLearningRate };
        var adamLr = new Option<double>("--adam-lr") { Description = "base learning rate of Adam, the same at every width", DefaultValueFactory = _ => d.AdamLearningRate };
        var cmd = new Command("coord-check", "RMS of every layer's output and of its change over the first training steps, against width, SP and muP; writes DIR/coord_check.json and plots.");
        common.AddTo(cmd);
        cmd.Options.Add(optimizers);
        cmd.Options.Add(sgdLr);
        cmd.Options.Add(adamLr);
        cmd.SetAction(p =>
        {
            string dir = common.OutputDirectory(p);
            var options = Checked(() =>
            {
                var o = common.Apply(p, new CoordCheckOptions()) with
                {
                    Optimizers = List(p.GetValue(optimizers)!, "--optimizers", MupNames.Optimizer),
                    SgdLearningRate = p.GetValue(sgdLr), AdamLearningRate = p.GetValue(adamLr),
                };
                o.Validate();
                MupRuns.Setup(o.Architecture, o.Task, o.Seed, o.Loss);
                return o;
            });
            using var interruption = new Interruption();
            var result = ConsoleProgress.Run("coord-check", pr => CoordCheck.Run(options, pr, interruption.Token), p.GetValue(common.Quiet));
            Directory.CreateDirectory(dir);
            MupJson.Write(Path.Combine(dir, "coord_check.json"), result);
            MupPlots.WriteAll(result, dir);
            if (!p.GetValue(common.Quiet)) PrintSlopes(result);
            return CliApp.Ok;
        });
        return cmd;
    }

    private static Command TransferCommand()
    {
        var d = new TransferOptions();
        var common = new CommonOptions("64,128,256,512,1024", d.Steps, d.Batch, d.Seeds);
        var optimizer = new Option<string>("--optimizer") { Description = "sgd or adam", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong("sgd", "adam");
        var grid = new Option<string>("--lr-grid") { Description = "log2 learning rates: FROM:TO[:STEP] (inclusive, step 1 by default) or a comma list; write --lr-grid=-12:0", DefaultValueFactory = _ => "-12:0" };
        var cmd = new Command("transfer", "Learning-rate sweep on a log2 grid at several widths, SP and muP; writes DIR/transfer.json (best log2 rate per width) and DIR/transfer.png.");
        common.AddTo(cmd);
        cmd.Options.Add(optimizer);
        cmd.Options.Add(grid);
        cmd.SetAction(p =>
        {
            string dir = common.OutputDirectory(p);
            var options = Checked(() =>
            {
                var o = common.Apply(p, new TransferOptions()) with
                {
                    Optimizer = MupNames.Optimizer(p.GetValue(optimizer)!), Log2LearningRates = ParseGrid(p.GetValue(grid)!),
                };
                o.Validate();
                MupRuns.Setup(o.Architecture, o.Task, o.Seed, o.Loss);
                return o;
            });
            using var interruption = new Interruption();
            var result = ConsoleProgress.Run("transfer", pr => LearningRateTransfer.Run(options, pr, interruption.Token), p.GetValue(common.Quiet));
            Directory.CreateDirectory(dir);
            MupJson.Write(Path.Combine(dir, "transfer.json"), result);
            MupPlots.WriteAll(result, dir);
            if (!p.GetValue(common.Quiet)) PrintOptima(result);
            return CliApp.Ok;
        });
        return cmd;
    }

    /// <summary>The options both experiments take.</summary>
    private sealed class CommonOptions
    {
        public readonly Option<string> Arch, Widths, Params, Task, Readout, Loss;
        public readonly Option<int> Steps, Batch, Seeds, Threads;
        public readonly Option<ulong> Seed;
        public readonly Option<string> Out;
        public readonly Option<bool> Quiet;

        public CommonOptions(string widths, int steps, int batch, int seeds)
        {
            Arch = new Option<string>("--arch") { Description = "network, text form or @file.json; every hidden width is replaced by each of --widths (default: " + MupRuns.DefaultArchitecture + " with the task's outputs)" };
            Loss = new Option<string>("--loss") { Description = "auto (cross_entropy for classification, mse for one output), mse or cross_entropy", DefaultValueFactory = _ => "auto" };
            Loss.AcceptOnlyFromAmong("auto", "mse", "cross_entropy");
            Widths = new Option<string>("--widths") { Description = "comma list of hidden widths", DefaultValueFactory = _ => widths };
            Params = new Option<string>("--parameterizations") { Description = "comma list of sp, mup", DefaultValueFactory = _ => "sp,mup" };
            Task = new Option<string>("--task") { Description = "built-in task: " + string.Join(", ", MupTask.Names) + " (its data drawn with --seed)", DefaultValueFactory = _ => "digits" };
            Readout = new Option<string>("--mup-readout-init") { Description = "muP readout weights at start: zero (the mup package's advice) or table3 (N(0, W_std^2/fan_in^2))", DefaultValueFactory = _ => "zero" };
            Readout.AcceptOnlyFromAmong("zero", "table3");
            Steps = new Option<int>("--steps") { Description = "training steps per run", DefaultValueFactory = _ => steps };
            Batch = new Option<int>("--batch") { Description = "examples per training step", DefaultValueFactory = _ => batch };
            Seeds = new Option<int>("--seeds") { Description = "independent runs per setting (initialisation and batch order), averaged", DefaultValueFactory = _ => seeds };
            Seed = new Option<ulong>("--seed") { Description = "base seed", DefaultValueFactory = _ => 0 };
            Threads = new Option<int>("--threads") { Description = "runs computed at once (default: processor count); results do not depend on it" };
            Out = new Option<string>("--out", "-o") { Description = "output directory (JSON and plots are written there atomically)", Required = true };
            Quiet = new Option<bool>("--quiet", "-q") { Description = "no progress display or summary" };
        }

        public void AddTo(Command cmd)
        {
            foreach (var o in new Option[] { Arch, Widths, Params, Task, Loss, Readout, Steps, Batch, Seeds, Seed, Threads, Out, Quiet }) cmd.Options.Add(o);
        }

        public string OutputDirectory(ParseResult p)
        {
            string dir = p.GetValue(Out)!;
            if (File.Exists(dir)) throw new UsageException($"--out {dir}: is a file; give a directory");
            if (p.GetValue(Threads) < 0) throw new UsageException("--threads must be positive");
            return dir;
        }

        /// <summary><paramref name="settings"/> with the shared settings read from the command line.</summary>
        public T Apply<T>(ParseResult p, T settings) where T : MupSettings => (T)(settings with
        {
            Architecture = p.GetValue(Arch),
            Loss = p.GetValue(Loss) is "auto" or null ? null : LossKinds.Parse(p.GetValue(Loss)!),
            Widths = ConvergeCommand.ParseWidths(p.GetValue(Widths)!),
            Steps = p.GetValue(Steps), Batch = p.GetValue(Batch), Seeds = p.GetValue(Seeds), Seed = p.GetValue(Seed),
            Parameterizations = List(p.GetValue(Params)!, "--parameterizations", MupNames.Parameterization),
            Task = p.GetValue(Task)!,
            MupReadout = p.GetValue(Readout) == "table3" ? MupReadoutInit.Table3 : MupReadoutInit.Zero,
            Threads = p.GetValue(Threads),
        });
    }

    /// <summary>Runs <paramref name="build"/>, turning its <see cref="ArgumentException"/> (a bad setting) into a usage error.</summary>
    private static T Checked<T>(Func<T> build)
    {
        try { return build(); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    private static T[] List<T>(string text, string option, Func<string, T> parse)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new UsageException($"{option} needs at least one value");
        try { return parts.Select(parse).Distinct().ToArray(); }
        catch (ArgumentException e) { throw new UsageException($"{option}: {e.Message}"); }
    }

    /// <summary>Parses FROM:TO[:STEP] (inclusive) or a comma list of log₂ learning rates.</summary>
    internal static double[] ParseGrid(string text)
    {
        static double Number(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v : throw new UsageException($"--lr-grid: '{s}' is not a number");
        if (!text.Contains(':')) return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Number).ToArray();
        var parts = text.Split(':', StringSplitOptions.TrimEntries);
        if (parts.Length is < 2 or > 3) throw new UsageException($"--lr-grid: '{text}' is not FROM:TO or FROM:TO:STEP");
        double from = Number(parts[0]), to = Number(parts[1]), step = parts.Length == 3 ? Number(parts[2]) : 1;
        if (!(step > 0) || to < from) throw new UsageException($"--lr-grid: '{text}' needs FROM <= TO and a positive STEP");
        int count = (int)Math.Floor((to - from) / step + 1e-9) + 1;
        if (count > 1000) throw new UsageException($"--lr-grid: '{text}' has {count} points; at most 1000");
        return Enumerable.Range(0, count).Select(k => from + k * step).ToArray();
    }

    private static void PrintSlopes(CoordCheckResult result)
    {
        Console.Error.WriteLine($"log-log slope of RMS(x_T - x_0) against width, T = {result.Options.Steps} ({result.Seconds:0.0} s):");
        foreach (var panel in result.Panels)
        {
            var slopes = result.Layers.Select((l, i) => $"{l} {Format(panel.ChangeFits[i]?.Slope)}");
            Console.Error.WriteLine($"  {MupNames.Short(panel.Parameterization),-3} {MupNames.Short(panel.Optimizer),-4}: {string.Join(", ", slopes)}");
        }
    }

    private static void PrintOptima(TransferResult result)
    {
        Console.Error.WriteLine($"best log2 learning rate per width ({result.Seconds:0.0} s):");
        foreach (var p in result.Options.Parameterizations)
        {
            var best = result.Of(p).Select(s => $"{s.Width}: {Format(s.BestLog2LearningRate)}");
            Console.Error.WriteLine($"  {MupNames.Short(p),-3}: {string.Join(", ", best)} (moves by {Format(result.Shift(p))})");
        }
    }

    private static string Format(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
}
