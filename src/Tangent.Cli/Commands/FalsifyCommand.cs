using System.CommandLine;
using System.Globalization;
using Tangent.Experiments;
using Tangent.Reports;

namespace Tangent.Cli;

/// <summary>
/// <c>tangent falsify</c>: one experiment on the trained network (feature-learning regime), its linearisation and the
/// infinite-width kernels (NTK and NNGP regression), over seeds and training-set sizes; prints a Markdown verdict table and,
/// with <c>--out DIR</c>, writes DIR/verdict.json and DIR/report.html (both or neither).
/// </summary>
internal static class FalsifyCommand
{
    private sealed record Options(
        Option<string?> Experiment, Option<string?> Task, Option<int?> Dim, Option<int?> Degree, Option<int?> K, Option<string?> Frequencies,
        Option<double?> Noise, Option<string?> Targets, Option<string?> Arch, Option<int?> Width, Option<string?> Parameterization, Option<double?> Alpha,
        Option<string?> Optimizer, Option<double?> LearningRate, Option<int?> Steps, Option<int?> BatchSize, Option<string?> Metrics, Option<string?> Sizes,
        Option<int?> Test, Option<int?> Seeds, Option<ulong?> FirstSeed, Option<bool> NoLinearised, Option<double?> Ridge, Option<double?> Margin,
        Option<double?> Confidence, Option<string?> Out, Option<bool> Quiet);

    public static Command Create()
    {
        var o = new Options(
            new Option<string?>("--experiment", "-e") { Description = "experiment file (JSON); flags given as well override its values" },
            new Option<string?>("--task") { Description = "teacher-poly, sparse-parity, spectral-bias, digits, teacher, or a data file (.npy, .csv, IDX, CIFAR-10 .bin)" },
            new Option<int?>("--dim") { Description = "input dimension d (teacher-poly, sparse-parity)" },
            new Option<int?>("--degree") { Description = "degree of the teacher polynomial (teacher-poly; default 1)" },
            new Option<int?>("--k") { Description = "coordinates in the parity (sparse-parity; default 2)" },
            new Option<string?>("--frequencies") { Description = "comma list of the target's frequencies (spectral-bias; default 1,2,4,8)" },
            new Option<double?>("--noise") { Description = "standard deviation of noise on training targets (teacher-poly, spectral-bias)" },
            new Option<string?>("--targets") { Description = "data-file task: a file of targets (default: the file's labels or last column)" },
            new Option<string?>("--arch") { Description = $"architecture, text or @file.json (default: {Experiments.Experiment.DefaultArchitecture})" },
            new Option<int?>("--width") { Description = "hidden width of the finite network (default 256)" },
            new Option<string?>("--parameterization") { Description = "finite network: mup (default), ntk, standard or mean_field" },
            new Option<double?>("--alpha") { Description = "output scale α: the network is α·(f − f₀), trained at rate η/α²; small α: rich, large: lazy (default 1)" },
            new Option<string?>("--optimizer") { Description = "gd (default), sgd or adam; the same for the network and its linearisation" },
            new Option<double?>("--learning-rate", "--lr") { Description = "base learning rate η (default 0.5)" },
            new Option<int?>("--steps") { Description = "training steps (default 400)" },
            new Option<int?>("--batch-size") { Description = "minibatch for sgd/adam; 0: full batch (default)" },
            new Option<string?>("--metrics") { Description = "comma list: test-accuracy, test-loss, sample-efficiency, kernel-alignment, spectral-bias; the first decides the verdict" },
            new Option<string?>("--n") { Description = "training-set sizes, increasing comma list (default 50,100,200,400)" },
            new Option<int?>("--test") { Description = "test examples per seed (default 500)" },
            new Option<int?>("--seeds") { Description = "number of seeds, at least 2 (default 5)" },
            new Option<ulong?>("--first-seed") { Description = "first seed (default 0)" },
            new Option<bool>("--no-linearised") { Description = "skip the linearised network" },
            new Option<double?>("--ridge") { Description = "ridge of the kernel regressions, times trace(K)/n (default 1e-6)" },
            new Option<double?>("--margin") { Description = "margin δ of practical equivalence in the metric's units (default: 0.02 for accuracies, 0.05 for relative MSE)" },
            new Option<double?>("--confidence") { Description = "confidence level of the intervals (default 0.95)" },
            new Option<string?>("--out", "-o") { Description = "directory for verdict.json and report.html" },
            new Option<bool>("--quiet", "-q") { Description = "no progress display" });
        var cmd = new Command("falsify", "Would a claim survive if the features froze? Trained network vs its linearisation vs the infinite-width kernels, over seeds and n.")
        {
            o.Experiment, o.Task, o.Dim, o.Degree, o.K, o.Frequencies, o.Noise, o.Targets, o.Arch, o.Width, o.Parameterization, o.Alpha, o.Optimizer,
            o.LearningRate, o.Steps, o.BatchSize, o.Metrics, o.Sizes, o.Test, o.Seeds, o.FirstSeed, o.NoLinearised, o.Ridge, o.Margin, o.Confidence, o.Out, o.Quiet,
        };
        cmd.SetAction(p =>
        {
            using var interruption = new Interruption();
            return Execute(Build(p, o), p.GetValue(o.Out), p.GetValue(o.Quiet), interruption.Token);
        });
        return cmd;
    }

    /// <summary>Runs <paramref name="experiment"/>, prints the Markdown summary, writes the report when <paramref name="outDir"/> is given.</summary>
    public static int Execute(Experiment experiment, string? outDir, bool quiet, CancellationToken cancel, string? announce = null)
    {
        if (outDir is not null && File.Exists(outDir)) throw new UsageException($"--out {outDir}: is a file; give a directory");
        experiment.Validate();
        var architecture = Layers.Architecture.Parse(experiment.Architecture);
        bool images = architecture.Layers.Any(l => l is Layers.Conv or Layers.AvgPool or Layers.GlobalAvgPool or Layers.Flatten);
        var task = BuiltInTasks.Create(experiment.Task, images);
        Falsifier.Check(experiment, task);
        if (announce is not null) Console.Error.WriteLine(announce);
        var result = ConsoleProgress.Run("falsify", pr => Falsifier.Run(experiment, task, new TrainedArms(), pr, cancel), quiet);
        // Render and write before printing, so a failure to write is the last thing said, and nothing is half-written.
        (string Verdict, string Report)? written = outDir is null ? null : FalsifierOutput.Write(result, outDir);
        Console.WriteLine(FalsifierText.Markdown(result));
        if (written is { } w) Console.WriteLine($"Report: {w.Report}\nVerdict: {w.Verdict}");
        return CliApp.Ok;
    }

    private static Experiment Build(ParseResult p, Options o)
    {
        var e = p.GetValue(o.Experiment) is { } file ? ExperimentFile.Read(file) : new Experiment();
        var t = e.Task;
        if (p.GetValue(o.Task) is { } task)
        {
            // A new task starts from its own defaults, not the file's task parameters.
            t = new TaskSpec { Name = task };
        }
        t = t with
        {
            Dim = p.GetValue(o.Dim) ?? t.Dim,
            Degree = p.GetValue(o.Degree) ?? t.Degree,
            K = p.GetValue(o.K) ?? t.K,
            Frequencies = p.GetValue(o.Frequencies) is { } f ? Integers(f, "--frequencies") : t.Frequencies,
            Noise = p.GetValue(o.Noise) ?? t.Noise,
            Targets = p.GetValue(o.Targets) ?? t.Targets,
        };
        var training = e.Training with
        {
            Optimizer = p.GetValue(o.Optimizer)?.Trim().ToLowerInvariant() ?? e.Training.Optimizer,
            LearningRate = p.GetValue(o.LearningRate) ?? e.Training.LearningRate,
            Steps = p.GetValue(o.Steps) ?? e.Training.Steps,
            BatchSize = p.GetValue(o.BatchSize) ?? e.Training.BatchSize,
        };
        e = e with
        {
            Task = t,
            Training = training,
            Architecture = p.GetValue(o.Arch) ?? e.Architecture,
            Width = p.GetValue(o.Width) ?? e.Width,
            Parameterization = p.GetValue(o.Parameterization) is { } pz ? ExperimentFile.ParseParameterization(pz, "--parameterization") : e.Parameterization,
            Alpha = p.GetValue(o.Alpha) ?? e.Alpha,
            Metrics = p.GetValue(o.Metrics) is { } m
                ? m.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(x => FalsifierMetrics.Parse(x, "--metrics")).ToArray()
                : e.Metrics,
            TrainSizes = p.GetValue(o.Sizes) is { } n ? Integers(n, "--n") : e.TrainSizes,
            TestSize = p.GetValue(o.Test) ?? e.TestSize,
            Seeds = p.GetValue(o.Seeds) ?? e.Seeds,
            FirstSeed = p.GetValue(o.FirstSeed) ?? e.FirstSeed,
            Linearised = !p.GetValue(o.NoLinearised) && e.Linearised,
            Ridge = p.GetValue(o.Ridge) ?? e.Ridge,
            Margin = p.GetValue(o.Margin) ?? e.Margin,
            Confidence = p.GetValue(o.Confidence) ?? e.Confidence,
        };
        return e;
    }

    private static int[] Integers(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new UsageException($"{option}: give a comma list of integers");
        return parts.Select(x => int.TryParse(x, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v)
            ? v : throw new UsageException($"{option}: '{x}' is not an integer")).ToArray();
    }
}
