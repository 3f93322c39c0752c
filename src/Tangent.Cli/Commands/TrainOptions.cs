using System.CommandLine;
using System.Globalization;
using Tangent.Experiments;
using Tangent.Experiments.Tasks;
using Tangent.Training;

namespace Tangent.Cli;

/// <summary>The options shared by <c>tangent train</c> and <c>tangent sweep</c>: task, network, trainer, measurements.</summary>
internal sealed class TrainOptions
{
    public readonly Option<string> Task = new("--task") { Description = $"built-in task: {string.Join(", ", TaskRegistry.Names)}", DefaultValueFactory = _ => "teacher" };
    public readonly Option<string?> Arch = new("--arch") { Description = "architecture (text form or @file.json); hidden widths are replaced by the width; default: the task's" };
    public readonly Option<string> Optimizer = new("--optimizer") { Description = "gd (full batch), sgd or adam", DefaultValueFactory = _ => "gd" };
    public readonly Option<int> BatchSize = new("--batch-size") { Description = "mini-batch size for sgd/adam (0: full batch)", DefaultValueFactory = _ => 0 };
    public readonly Option<double> Momentum = new("--momentum") { Description = "heavy-ball momentum of gd/sgd", DefaultValueFactory = _ => 0 };
    public readonly Option<double> WeightDecay = new("--weight-decay") { Description = "weight decay (coupled for gd/sgd, decoupled for adam)", DefaultValueFactory = _ => 0 };
    public readonly Option<int> Steps = new("--steps") { Description = "optimiser steps", DefaultValueFactory = _ => 200 };
    public readonly Option<string?> Loss = new("--loss") { Description = "mse or cross_entropy (default: the task's)" };
    public readonly Option<string> Schedule = new("--schedule") { Description = "constant, cosine, step:EVERY:GAMMA, warmup:W or warmup_cosine:W", DefaultValueFactory = _ => "constant" };
    public readonly Option<double> InitScale = new("--init-scale") { Description = "initialisation scale (Geiger et al.): initial weights multiplied by it", DefaultValueFactory = _ => 1 };
    public readonly Option<ulong> DataSeed = new("--data-seed") { Description = "seed of the task's data", DefaultValueFactory = _ => 0 };
    public readonly Option<int> Train = new("--train") { Description = "training examples (default: the task's)", DefaultValueFactory = _ => 0 };
    public readonly Option<int> Test = new("--test") { Description = "test examples (default: the task's)", DefaultValueFactory = _ => 0 };
    public readonly Option<int> Probe = new("--probe") { Description = "probe points (first training examples) for kernel measurements; 0: none", DefaultValueFactory = _ => 64 };
    public readonly Option<string?> Observe = new("--observe") { Description = "comma list of steps to measure at (default: 0, the last, and log-spaced steps)" };
    public readonly Option<bool> NoLinearized = new("--no-linearized") { Description = "do not train the linearised model alongside" };
    public readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "no progress display" };

    public IEnumerable<Option> All => [Task, Arch, Optimizer, BatchSize, Momentum, WeightDecay, Steps, Loss, Schedule, InitScale, DataSeed, Train, Test, Probe, Observe, NoLinearized, Quiet];

    public TrainOptions()
    {
        Optimizer.AcceptOnlyFromAmong(TrainingOptimizers.Names);
    }

    /// <summary>The configuration the options describe, for one width, parameterisation, α, learning rate and seed.</summary>
    public TrainingRunConfig Config(ParseResult p, int width, Tangent.Networks.NetworkParameterization parameterization, double? alpha, double learningRate, ulong seed)
    {
        try
        {
            var trainer = new TrainerOptions
            {
                Optimizer = TrainingOptimizers.Parse(p.GetValue(Optimizer)!),
                LearningRate = learningRate,
                BatchSize = p.GetValue(BatchSize),
                Momentum = p.GetValue(Momentum),
                WeightDecay = p.GetValue(WeightDecay),
                Steps = p.GetValue(Steps),
                Schedule = LearningRateSchedule.Parse(p.GetValue(Schedule)!),
            };
            var config = new TrainingRunConfig
            {
                Task = p.GetValue(Task)!,
                Architecture = p.GetValue(Arch),
                Width = width,
                Parameterization = parameterization,
                Seed = seed,
                DataSeed = p.GetValue(DataSeed),
                TrainCount = p.GetValue(Train),
                TestCount = p.GetValue(Test),
                ProbeCount = p.GetValue(Probe),
                Trainer = trainer,
                Loss = p.GetValue(Loss) is { } l ? LossKinds.Parse(l) : null,
                Alpha = alpha,
                InitScale = p.GetValue(InitScale),
                Linearize = !p.GetValue(NoLinearized),
                ObserveSteps = p.GetValue(Observe) is { } o ? ParseInts(o, "--observe") : null,
            };
            return TrainingRun.Resolve(config);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    public static int[] ParseInts(string text, string option) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : throw new UsageException($"{option}: '{s}' is not a non-negative integer")).ToArray();

    public static double[] ParsePositives(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new UsageException($"{option} needs at least one value");
        return parts.Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v)
            ? v : throw new UsageException($"{option}: '{s}' is not a positive number")).ToArray();
    }
}
