using System.CommandLine;
using System.Globalization;
using Tangent.Experiments;
using Tangent.Networks;
using Tangent.Reports;

namespace Tangent.Cli;

/// <summary>
/// <c>tangent sweep</c>: trains every combination of widths × parameterisations × α × learning rates × seeds (one
/// <see cref="TrainingRun"/> each), resumably: each finished point is its own file under DIR/points, and a restart computes
/// only the missing ones. Writes DIR/results.json (mean ± SE over seeds, log-log width fits with intervals under
/// <c>fits.NAME.kernel_change_slope</c> / <c>param_change_slope</c>) and the figures.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var o = new TrainOptions();
        var widths = new Option<string>("--widths") { Description = "comma list of hidden widths, e.g. 64,128,256,512", Required = true };
        var parameterizations = new Option<string>("--parameterization", "--parameterizations") { Description = "comma list of ntk, standard, mup, mean_field", DefaultValueFactory = _ => "ntk" };
        var alphas = new Option<string?>("--alphas", "--alpha") { Description = "comma list of output scales α ('none': the plain model); e.g. 0.01,0.1,1,10,100" };
        var lrs = new Option<string>("--learning-rates", "--lr") { Description = "comma list of base learning rates η", DefaultValueFactory = _ => "0.5" };
        var seeds = new Option<int>("--seeds") { Description = "seeds per point (mean ± standard error over them)", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--out", "-o") { Description = "output directory (resumes what is already there)", Required = true };
        var cmd = new Command("sweep", "Train networks over widths, parameterisations, output scales and learning rates; fit how movement scales with width. Resumable.")
            { widths, parameterizations, alphas, lrs, seeds, output };
        foreach (var option in o.All) cmd.Options.Add(option);
        cmd.SetAction(p =>
        {
            string dir = p.GetValue(output)!;
            if (File.Exists(dir)) throw new UsageException($"--out {dir}: is a file; give a directory");
            var w = ConvergeCommand.ParseWidths(p.GetValue(widths)!);
            NetworkParameterization[] ps;
            try { ps = p.GetValue(parameterizations)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(NetworkParameterizationNames.Parse).Distinct().ToArray(); }
            catch (ArgumentException e) { throw new UsageException($"--parameterization: {e.Message}"); }
            if (ps.Length == 0) throw new UsageException("--parameterization needs at least one name");
            var a = ParseAlphas(p.GetValue(alphas));
            var rates = TrainOptions.ParsePositives(p.GetValue(lrs)!, "--learning-rates");
            int s = p.GetValue(seeds);
            if (s < 1) throw new UsageException("--seeds must be at least 1");
            var template = o.Config(p, w[0], ps[0], a[0], rates[0], 0);
            Sweep sweep;
            try { sweep = new Sweep(dir, template, new SweepGrid(w.Distinct().ToArray(), ps, a, rates.Distinct().ToArray(), s)); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            bool quiet = p.GetValue(o.Quiet);
            int finished = sweep.FinishedCount;
            if (!quiet) Console.Error.WriteLine($"sweep: {sweep.Points.Count} points, {finished} already finished in {dir}{(finished > 0 ? "; resuming" : "")}");
            // Ctrl+C or SIGTERM stops at the next step; finished points are already on disk, the next run resumes.
            using var interruption = new Interruption();
            var results = ConsoleProgress.Run("sweep", progress => sweep.Run(progress, quiet ? null : line => Console.Error.WriteLine(line), interruption.Token), quiet);
            var summary = new SweepSummary(sweep, results);
            summary.Write(Path.Combine(dir, "results.json"));
            TrainingPlots.WriteSweep(summary, dir);
            foreach (var f in summary.HeadlineFits)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{f.Parameterization.Name()}: kernel change slope {Text(f.KernelChange)}, param change slope {Text(f.ParamChange)}, |f - f_lin| slope {Text(f.OutputGap)}"));
            Console.WriteLine($"computed {sweep.Points.Count - finished} of {sweep.Points.Count} points; results in {Path.Combine(dir, "results.json")}");
            return CliApp.Ok;
        });
        return cmd;
    }

    private static string Text(SlopeFit? f) => f is null ? "n/a (one width)" : string.Create(CultureInfo.InvariantCulture, $"{f.Value:0.000} [{f.Low:0.000}, {f.High:0.000}]");

    private static double?[] ParseAlphas(string? text)
    {
        if (text is null) return [null];
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new UsageException("--alphas needs at least one value");
        return parts.Select(s => s.Equals("none", StringComparison.OrdinalIgnoreCase) ? (double?)null
            : double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v) ? v
            : throw new UsageException($"--alphas: '{s}' is not a positive number or 'none'")).Distinct().ToArray();
    }
}
