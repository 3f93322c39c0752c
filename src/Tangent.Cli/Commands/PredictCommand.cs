using System.CommandLine;
using System.Globalization;
using Tangent.Dynamics;
using Tangent.Dynamics.Losses;
using Tangent.Dynamics.Ode;
using Tangent.IO;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Cli;

/// <summary>
/// <c>tangent predict</c>: predictions of gradient descent at a list of times, in two forms — from kernel files
/// (closed-form MSE, discrete steps with momentum, or an ODE for cross-entropy), or from an architecture and data
/// (the infinite ensemble, with <c>--cov</c> for its covariance). Writes PREFIX.train.npy and PREFIX.test.npy
/// ([T, N, O]) and PREFIX.cov.npy ([T, M, M]).
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var kTrain = new Option<string?>("--k-train-train") { Description = "kernel form: K(X, X), N x N (.npy or .csv)" };
        var kTest = new Option<string?>("--k-test-train") { Description = "kernel form: K(X*, X), M x N" };
        var fx0 = new Option<string?>("--fx-train-0") { Description = "kernel form: outputs at initialisation on the training points, N x O (default 0)" };
        var fxTest0 = new Option<string?>("--fx-test-0") { Description = "kernel form: outputs at initialisation on the test points, M x O (default 0)" };
        var arch = new Option<string?>("--arch") { Description = "architecture form: text spec or @file.json; the kernels are computed from the data" };
        var xTrain = new Option<string?>("--x-train") { Description = "architecture form: training inputs, one example per row (images NHWC)" };
        var xTest = new Option<string?>("--x-test") { Description = "architecture form: test inputs" };
        var yTrain = new Option<string>("--y-train") { Description = "training targets, N x O (or N)", Required = true };
        var yTest = new Option<string?>("--y-test") { Description = "test targets, to print test error and accuracy (not used for training)" };
        var times = new Option<string?>("--t") { Description = "comma list of times, 'inf' for infinity (default: inf)" };
        var steps = new Option<string?>("--steps") { Description = "kernel form: comma list of step counts of discrete gradient descent instead of --t" };
        var momentum = new Option<double>("--momentum") { Description = "heavy-ball momentum of --steps, in [0, 1)", DefaultValueFactory = _ => 0 };
        var lr = new Option<double>("--learning-rate") { Description = "learning rate η (loss 0.5·mean over N·O targets)", DefaultValueFactory = _ => 1.0 };
        var diagReg = new Option<double>("--diag-reg") { Description = "diagonal regularisation, times trace(K)/N unless --diag-reg-absolute", DefaultValueFactory = _ => 0 };
        var absolute = new Option<bool>("--diag-reg-absolute") { Description = "--diag-reg is added as is, not scaled by trace(K)/N" };
        var get = new Option<string>("--get") { Description = "architecture form: kernel that trains (ntk: all layers; nngp: readout only)", DefaultValueFactory = _ => "ntk" };
        get.AcceptOnlyFromAmong("ntk", "nngp");
        var cov = new Option<bool>("--cov") { Description = "architecture form: also write the ensemble covariance PREFIX.cov.npy [T, M, M]" };
        var loss = new Option<string>("--loss") { Description = "kernel form: mse (closed form) or cross-entropy (softmax; adaptive ODE)", DefaultValueFactory = _ => "mse" };
        loss.AcceptOnlyFromAmong("mse", "cross-entropy");
        var rtol = new Option<double>("--rtol") { Description = "relative tolerance of the ODE solver (--loss cross-entropy)", DefaultValueFactory = _ => 1e-9 };
        var output = new Option<string>("--out", "-o") { Description = "output prefix: writes PREFIX.train.npy, PREFIX.test.npy, PREFIX.cov.npy", Required = true };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress display or summary table" };
        var kernelStore = new Option<string?>("--kernel-store") { Description = "out-of-core form: tile store of K(X, X) ('tangent kernel --store DIR'); kernel regression (t = inf) by preconditioned CG" };

        var cmd = new Command("predict", "Predictions of gradient-descent training at given times, from kernel files or from an architecture and data.")
        {
            kTrain, kTest, fx0, fxTest0, arch, xTrain, xTest, yTrain, yTest, times, steps, momentum, lr, diagReg, absolute, get, cov, loss, rtol, output, quiet, kernelStore,
        };
        var solve = StoreSolveOptions.AddTo(cmd);
        cmd.SetAction(p =>
        {
            // Out-of-core form: the same request as 'tangent store predict DIR'.
            if (p.GetValue(kernelStore) is { } store)
                return StorePredict.Run(solve.Request(p, store, p.GetValue(yTrain)!, p.GetValue(output)!, p.GetValue(kTest), p.GetValue(fx0),
                    p.GetValue(fxTest0), p.GetValue(diagReg), p.GetValue(absolute), p.GetValue(times), p.GetValue(quiet)));
            string prefix = Prefix(p.GetValue(output)!);
            bool kernelForm = p.GetValue(kTrain) is not null;
            bool archForm = p.GetValue(arch) is not null;
            if (kernelForm == archForm)
                throw new UsageException("give either --k-train-train (kernel form) or --arch with --x-train (architecture form)");
            var reg = new DiagonalRegularization(p.GetValue(diagReg), p.GetValue(absolute));
            if (!(reg.Value >= 0) || !double.IsFinite(reg.Value)) throw new UsageException($"--diag-reg must be a non-negative number, got {reg.Value}");
            double eta = p.GetValue(lr);
            bool q = p.GetValue(quiet);
            var y = PredictInputs.Targets(p.GetValue(yTrain)!, "--y-train");
            var yt = p.GetValue(yTest) is { } yTestPath ? PredictInputs.Targets(yTestPath, "--y-test") : null;

            Outputs result;
            if (kernelForm)
            {
                PredictInputs.Reject(p, "kernel form (--k-train-train)", (xTrain, "--x-train"), (xTest, "--x-test"), (cov, "--cov"));
                if (p.GetResult(get) is { Implicit: false }) throw new UsageException("--get is for the architecture form; the kernel form trains with the kernel it is given");
                var k = PredictInputs.Kernel(p.GetValue(kTrain)!, "--k-train-train");
                var ktd = p.GetValue(kTest) is { } kt ? PredictInputs.Kernel(kt, "--k-test-train") : null;
                var f0 = p.GetValue(fx0) is { } f ? PredictInputs.Targets(f, "--fx-train-0") : null;
                var g0 = p.GetValue(fxTest0) is { } g ? PredictInputs.Targets(g, "--fx-test-0") : null;
                var schedule = PredictInputs.Schedule(p.GetValue(times), p.GetValue(steps), p.GetValue(momentum), p.GetResult(momentum) is { Implicit: false });
                if (p.GetValue(loss) == "cross-entropy")
                {
                    if (schedule.IsDiscrete) throw new UsageException("--loss cross-entropy integrates gradient flow; give --t, not --steps");
                    if (!(p.GetValue(rtol) > 0 && p.GetValue(rtol) < 1)) throw new UsageException($"--rtol must be between 0 and 1, got {p.GetValue(rtol)}");
                    var flow = new FunctionSpaceGradientFlow(reg.IsZero ? k : reg.AppliedTo(k), y, SoftmaxCrossEntropyLoss.Instance, eta);
                    var opts = (IProgress<double> pr) => new OdeOptions { RelativeTolerance = p.GetValue(rtol), AbsoluteTolerance = p.GetValue(rtol) * 1e-3, Progress = pr };
                    var r = ConsoleProgress.Run("gradient flow (cross-entropy)", pr => flow.Predict([.. schedule.Values], f0, ktd, g0, opts(pr)), q);
                    result = new Outputs(r.Train, r.Test, null, $"cross-entropy gradient flow (Dormand-Prince), {flow.LastStatistics!.AcceptedSteps} steps");
                }
                else
                {
                    var predictor = new GradientDescentMse(k, y, eta, reg);
                    var r = ConsoleProgress.Run("closed-form MSE dynamics", _ => predictor.Predict(schedule, f0, ktd, g0), q);
                    result = new Outputs(r.Train, r.Test, null, schedule.IsDiscrete ? "discrete gradient descent on MSE" : "gradient flow on MSE (closed form)");
                }
            }
            else
            {
                PredictInputs.Reject(p, "architecture form (--arch)", (kTest, "--k-test-train"), (fx0, "--fx-train-0"), (fxTest0, "--fx-test-0"), (steps, "--steps"));
                if (p.GetResult(momentum) is { Implicit: false }) throw new UsageException("--momentum needs --steps, which is for the kernel form");
                if (p.GetValue(loss) != "mse") throw new UsageException("--loss is for the kernel form; the architecture form computes the MSE ensemble");
                var architecture = Architecture.Parse(p.GetValue(arch)!);
                if (p.GetValue(xTrain) is not { } xTrainPath) throw new UsageException("the architecture form needs --x-train");
                var (x, shape) = PredictInputs.Inputs(xTrainPath, "--x-train");
                Matrix<double>? xt = null;
                if (p.GetValue(xTest) is { } xTestPath)
                {
                    var (m, testShape) = PredictInputs.Inputs(xTestPath, "--x-test");
                    if (!testShape.Equals(shape)) throw new DataFormatException($"{xTestPath} (--x-test): examples of shape {testShape} but the training examples are {shape}");
                    xt = m;
                }
                if (y.Rows != x.Rows) throw new DataFormatException($"--y-train has {y.Rows} rows but --x-train has {x.Rows} examples");
                var kind = p.GetValue(get) == "nngp" ? KernelKind.Nngp : KernelKind.Ntk;
                var schedule = PredictInputs.Schedule(p.GetValue(times), null, 0, false);
                bool withCov = p.GetValue(cov);
                result = ConsoleProgress.Run($"{(kind == KernelKind.Ntk ? "NTK" : "NNGP")} ensemble", pr =>
                {
                    var ensemble = new ArchitectureEnsemble(architecture, x, y, shape, eta, reg, new KernelOptions { Progress = new Scaled(pr, 0, 0.6) });
                    var onTrain = ensemble.Predict(kind, schedule, null, covariance: false);
                    var onTest = xt is null ? null : ensemble.Predict(kind, schedule, xt, withCov);
                    pr.Report(1);
                    var covariance = withCov ? (onTest ?? ensemble.Predict(kind, schedule, null, covariance: true)).Covariance : null;
                    return new Outputs(onTrain.Mean, onTest?.Mean, covariance,
                        $"infinite ensemble mean of {architecture}, trained with the {(kind == KernelKind.Ntk ? "NTK (all layers)" : "NNGP (readout only)")}");
                }, q);
            }

            if (yt is not null)
            {
                if (result.Test is null) throw new UsageException("--y-test needs test points (--k-test-train or --x-test)");
                if (yt.Rows != result.Test.Rows || yt.Cols != result.Test.Cols)
                    throw new DataFormatException($"--y-test is {yt.Rows}x{yt.Cols} but the test predictions are {result.Test.Rows}x{result.Test.Cols}");
            }
            // Everything computed: now write, each file atomically.
            var written = new List<string>();
            ArrayFile.Write(prefix + ".train.npy", result.Train.Data, result.Train.Shape);
            written.Add($"{prefix}.train.npy {ShapeText(result.Train.Shape)}");
            if (result.Test is not null)
            {
                ArrayFile.Write(prefix + ".test.npy", result.Test.Data, result.Test.Shape);
                written.Add($"{prefix}.test.npy {ShapeText(result.Test.Shape)}");
            }
            if (result.Covariance is not null)
            {
                ArrayFile.Write(prefix + ".cov.npy", result.Covariance.Data, result.Covariance.Shape);
                written.Add($"{prefix}.cov.npy {ShapeText(result.Covariance.Shape)}");
            }
            if (!q) PredictSummary.Print(result.What, y, result.Train, yt, result.Test, written);
            return CliApp.Ok;
        });
        return cmd;
    }

    /// <summary>PREFIX as given; a trailing .npy (a common slip) is dropped so files are not named x.npy.train.npy.</summary>
    private static string Prefix(string prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix)) throw new UsageException("--out needs a prefix, e.g. --out results/run1");
        if (prefix.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) prefix = prefix[..^4];
        if (Directory.Exists(prefix)) throw new UsageException($"--out {prefix}: is a directory; give a prefix such as {Path.Combine(prefix, "pred")}");
        return prefix;
    }

    private static string ShapeText(int[] shape) => "[" + string.Join(", ", shape) + "]";

    private sealed record Outputs(PredictionSeries Train, PredictionSeries? Test, PredictionSeries? Covariance, string What);

    /// <summary>Maps a sub-task's progress 0..1 onto [from, to] of the whole.</summary>
    private sealed class Scaled(IProgress<double> inner, double from, double to) : IProgress<double>
    {
        public void Report(double value) => inner.Report(from + (to - from) * value);
    }
}
