using System.CommandLine;
using System.Globalization;
using Tangent.Dynamics;
using Tangent.IO;
using Tangent.Reports;
using Tangent.Spectra;

namespace Tangent.Cli;

/// <summary>
/// <c>tangent spectrum --kernel FILE [--y FILE] --out DIR</c>: eigenvalues, target projections, per-mode dynamics,
/// alignment, effective rank, the convergence rate λ_min guarantees, and predicted against measured learning curves,
/// as DIR/spectrum.json, DIR/eigenvalues.npy and PNG/SVG plots.
/// </summary>
internal static class SpectrumCommand
{
    public static Command Create()
    {
        var kernel = new Option<string>("--kernel") { Description = "kernel matrix K(X, X), N x N (.npy or .csv)", Required = true };
        var y = new Option<string?>("--y") { Description = "targets on the same points, N x O: projections, alignment, loss and learning curves" };
        var kTest = new Option<string?>("--k-test-train") { Description = "K(X*, X), M x N, for the predicted test-error curve (with --y-test)" };
        var yTest = new Option<string?>("--y-test") { Description = "test targets, M x O" };
        var compare = new Option<string?>("--compare") { Description = "a second kernel on the same points: centred kernel alignment with it" };
        var lr = new Option<double>("--learning-rate") { Description = "learning rate η of the dynamics", DefaultValueFactory = _ => 1.0 };
        var diagReg = new Option<double>("--diag-reg") { Description = "diagonal regularisation of the dynamics, times trace(K)/N unless --diag-reg-absolute", DefaultValueFactory = _ => 0 };
        var absolute = new Option<bool>("--diag-reg-absolute") { Description = "--diag-reg is added as is" };
        var ridge = new Option<double>("--ridge") { Description = "ridge λ (absolute) of the learning-curve theory and measurement", DefaultValueFactory = _ => 0 };
        var noise = new Option<double>("--noise") { Description = "label-noise variance σ² in the learning-curve theory", DefaultValueFactory = _ => 0 };
        var trials = new Option<int>("--trials") { Description = "random draws per size for the measured learning curve (0: skip)", DefaultValueFactory = _ => 5 };
        var modes = new Option<int>("--modes") { Description = "how many top modes to follow over time", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "seed of the learning-curve draws", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out", "-o") { Description = "output directory", Required = true };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress display or summary" };

        var cmd = new Command("spectrum", "Spectral analysis of a kernel: eigenvalues, per-mode dynamics, alignment, learning-curve theory; JSON and plots.")
        {
            kernel, y, kTest, yTest, compare, lr, diagReg, absolute, ridge, noise, trials, modes, seed, output, quiet,
        };
        cmd.SetAction(p =>
        {
            string dir = p.GetValue(output)!;
            if (File.Exists(dir)) throw new UsageException($"--out {dir}: is a file; give a directory");
            if (p.GetValue(trials) < 0) throw new UsageException("--trials must be 0 or more");
            if (p.GetValue(modes) < 1) throw new UsageException("--modes must be at least 1");
            if (!(p.GetValue(lr) > 0) || !double.IsFinite(p.GetValue(lr))) throw new UsageException($"--learning-rate must be a positive number, got {p.GetValue(lr)}");
            if (!(p.GetValue(diagReg) >= 0) || !double.IsFinite(p.GetValue(diagReg))) throw new UsageException($"--diag-reg must be a non-negative number, got {p.GetValue(diagReg)}");
            var k = PredictInputs.Kernel(p.GetValue(kernel)!, "--kernel");
            var targets = p.GetValue(y) is { } yPath ? PredictInputs.Targets(yPath, "--y") : null;
            var ktd = p.GetValue(kTest) is { } kt ? PredictInputs.Kernel(kt, "--k-test-train") : null;
            var yt = p.GetValue(yTest) is { } ytPath ? PredictInputs.Targets(ytPath, "--y-test") : null;
            if ((ktd is null) != (yt is null)) throw new UsageException("--k-test-train and --y-test go together");
            if (ktd is not null && targets is null) throw new UsageException("the test-error curve needs the training targets: give --y");
            var other = p.GetValue(compare) is { } cPath ? PredictInputs.Kernel(cPath, "--compare") : null;
            var options = (IProgress<double> pr) => new SpectrumOptions
            {
                Targets = targets, TestTrainKernel = ktd, TestTargets = yt, CompareKernel = other,
                LearningRate = p.GetValue(lr), Regularization = new DiagonalRegularization(p.GetValue(diagReg), p.GetValue(absolute)),
                Ridge = p.GetValue(ridge), NoiseVariance = p.GetValue(noise), Trials = p.GetValue(trials), ModesShown = p.GetValue(modes),
                Seed = p.GetValue(seed), Progress = pr,
            };
            bool q = p.GetValue(quiet);
            var report = ConsoleProgress.Run("spectrum", pr => SpectrumAnalysis.Run(k, options(pr)), q);
            Directory.CreateDirectory(dir);
            var files = new List<string> { Path.Combine(dir, "spectrum.json"), Path.Combine(dir, "eigenvalues.npy") };
            SpectrumJson.Write(files[0], report);
            ArrayFile.Write(files[1], report.Eigenvalues, [report.Eigenvalues.Length]);
            files.AddRange(SpectrumPlots.WriteAll(report, dir));
            if (!q) Summary(report, files);
            return CliApp.Ok;
        });
        return cmd;
    }

    private static void Summary(SpectrumReport r, IEnumerable<string> files)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"N = {r.Size}: eigenvalues {r.Largest:G4} .. {r.Smallest:G4}, trace {r.Trace:G4}, condition number {r.ConditionNumber:G3}"));
        Console.WriteLine(string.Create(inv, $"effective rank: {r.EntropyEffectiveRank:G4} (entropy), {r.ParticipationRatio:G4} (participation ratio)"));
        Console.WriteLine(string.Create(inv, $"max learning rate {r.MaxLearningRate:G4}; residual shrinks at least like exp(-{r.Convergence!.FlowRate:G3} t) in squared norm (λ_min {r.Convergence.SmallestEigenvalue:G3})"));
        if (r.CenteredAlignmentWithCompare is { } cka) Console.WriteLine(string.Create(inv, $"centred alignment with --compare: {cka:G4}"));
        if (r.KernelTargetAlignment is { } kta)
        {
            int half = Array.FindIndex(r.CumulativeTargetPower!, c => c >= 0.5) + 1;
            int most = Array.FindIndex(r.CumulativeTargetPower!, c => c >= 0.9) + 1;
            Console.WriteLine(string.Create(inv, $"kernel-target alignment {kta:G4} (centred {r.CenteredKernelTargetAlignment:G4}); top {half} modes hold 50% of |y|², top {most} hold 90%"));
        }
        if (r.MeasuredLearningCurve is { Length: > 0 } measured)
        {
            Console.WriteLine($"{"n",8} {"predicted mse",14} {"measured mse",14}");
            for (int i = 0; i < measured.Length; i++)
                Console.WriteLine(string.Create(inv, $"{measured[i].Samples,8} {r.PredictedAtMeasuredSizes![i],14:G4} {measured[i].TestError,14:G4}"));
        }
        Console.WriteLine("wrote " + string.Join(", ", files));
    }
}
