using System.Diagnostics;
using Tangent.Experiments.Tasks;
using Tangent.Training;
using Tangent.Networks;

namespace Tangent.Experiments.Mup;

/// <summary>Settings of a learning-rate transfer experiment (<c>tangent mup transfer</c>).</summary>
public sealed record TransferOptions : MupSettings
{
    /// <summary>The defaults: widths 64..1024 (the criteria compare the smallest with the largest), 50 steps, 2 seeds (every learning rate sees the same seeds).</summary>
    public TransferOptions()
    {
        Widths = [64, 128, 256, 512, 1024];
        Steps = 50;
        Seeds = 2;
    }

    /// <summary>The learning-rate grid as log₂ η, increasing.</summary>
    public IReadOnlyList<double> Log2LearningRates { get; init; } = Enumerable.Range(-12, 13).Select(k => (double)k).ToArray();
    /// <summary>The optimiser.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        ValidateShared("a transfer experiment");
        if (Log2LearningRates.Count < 2) throw new ArgumentException("the learning-rate grid needs at least two points");
        if (Log2LearningRates.Any(v => !double.IsFinite(v)) || Log2LearningRates.Distinct().Count() != Log2LearningRates.Count)
            throw new ArgumentException("the learning-rate grid must hold distinct finite log2 values");
        ValidateRuns();
        if (Parameterizations.Count == 0) throw new ArgumentException("give at least one parameterisation");
    }
}

/// <summary>One learning-rate sweep: one parameterisation at one width.</summary>
/// <param name="Parameterization">Standard or μP.</param>
/// <param name="Width">The hidden width.</param>
/// <param name="InitialLoss">The training loss at initialisation (mean over seeds).</param>
/// <param name="FinalLoss">Per grid point: the training loss on the whole task after training, mean over seeds; +∞ where a seed diverged.</param>
/// <param name="Diverged">Per grid point: whether any seed diverged (a loss that is not finite, or above the initial loss).</param>
/// <param name="BestLog2LearningRate">log₂ of the grid's best learning rate (lowest final loss), or NaN when every point diverged.</param>
public sealed record TransferSweep(NetworkParameterization Parameterization, int Width, double InitialLoss, double[] FinalLoss, bool[] Diverged, double BestLog2LearningRate);

/// <summary>The result of a transfer experiment.</summary>
/// <param name="Options">The settings.</param>
/// <param name="Sweeps">One per (parameterisation, width), parameterisations in the order of the settings, widths increasing.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Architecture">The network that was trained (text form).</param>
/// <param name="Loss">The loss that was trained on.</param>
public sealed record TransferResult(TransferOptions Options, IReadOnlyList<TransferSweep> Sweeps, double Seconds, string Architecture, LossKind Loss)
{
    /// <summary>The sweeps of <paramref name="p"/>, widths in order.</summary>
    public IReadOnlyList<TransferSweep> Of(NetworkParameterization p) => Sweeps.Where(s => s.Parameterization == p).ToList();

    /// <summary>How far the best log₂ learning rate moves across the widths (max − min), NaN when some width has none.</summary>
    public double Shift(NetworkParameterization p)
    {
        var best = Of(p).Select(s => s.BestLog2LearningRate).ToList();
        return best.Count == 0 || best.Any(double.IsNaN) ? double.NaN : best.Max() - best.Min();
    }

    /// <summary>
    /// Whether <paramref name="p"/>'s best learning rate at the smallest width diverges at the largest width (null when the
    /// smallest width has no best rate).
    /// </summary>
    public bool? SmallWidthBestDivergesAtLargest(NetworkParameterization p)
    {
        var sweeps = Of(p);
        if (sweeps.Count < 2 || double.IsNaN(sweeps[0].BestLog2LearningRate)) return null;
        int k = Options.Log2LearningRates.ToList().IndexOf(sweeps[0].BestLog2LearningRate);
        return sweeps[^1].Diverged[k];
    }
}

/// <summary>
/// Hyperparameter transfer across width (Yang et al., Tensor Programs V, Figure 1): sweep the learning rate on a log₂
/// grid at several widths, train each network for the same number of steps on a built-in task, and find the best
/// learning rate per width. Under μP the optimum stays put as the width grows, so it can be tuned on a small network;
/// under the standard parameterisation it drifts (for Adam roughly like 1/width), and the small network's best setting
/// can diverge on the large one.
/// </summary>
public static class LearningRateTransfer
{
    /// <summary>Runs the experiment.</summary>
    public static TransferResult Run(TransferOptions options, IProgress<double>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var (task, architecture) = MupRuns.Setup(options.Architecture, options.Task, options.Seed, options.Loss);
        int widths = options.Widths.Count, rates = options.Log2LearningRates.Count, seeds = options.Seeds;

        // Job (p, w, r, s): parameterisation p, width w, learning rate r, seed s -> (initial loss, final loss).
        int Width(int job) => job / (rates * seeds) % widths;
        var runs = MupRuns.RunAll(options.Parameterizations.Count * widths * rates * seeds, job => (double)options.Widths[Width(job)] * options.Widths[Width(job)], job =>
        {
            var p = options.Parameterizations[job / (widths * rates * seeds)];
            int rate = job / seeds % rates;
            double lr = Math.Pow(2, options.Log2LearningRates[rate]);
            ulong seed = SeededNormal.Sample(options.Seed, job % seeds);
            var net = MupRuns.Network(architecture, task, p, options.Widths[Width(job)], seed, options.MupReadout);
            var trainer = MupRuns.Trainer(net, task, options.Optimizer, lr, options.Batch, options.Steps, seed);
            // Every rate of a (parameterisation, width, seed) starts from the same network: its first run measures the
            // initial loss for all of them.
            double initial = rate == 0 ? trainer.Evaluate(task.X, task.Y).Loss : double.NaN;
            for (int t = 0; t < options.Steps; t++)
            {
                double batchLoss = trainer.Step();
                if (!double.IsFinite(batchLoss)) return (Initial: initial, Final: double.PositiveInfinity);   // no way back from NaN weights
            }
            return (Initial: initial, Final: trainer.Evaluate(task.X, task.Y).Loss);
        }, options.Threads, progress, cancel);

        var sweeps = new List<TransferSweep>();
        for (int pi = 0; pi < options.Parameterizations.Count; pi++)
        {
            for (int w = 0; w < widths; w++)
            {
                double initial = 0;
                var final = new double[rates];
                var diverged = new bool[rates];
                var initialOf = new double[seeds];
                for (int s = 0; s < seeds; s++)
                {
                    initialOf[s] = runs[(pi * widths + w) * rates * seeds + s].Initial;
                    initial += initialOf[s] / seeds;
                }
                for (int r = 0; r < rates; r++)
                {
                    for (int s = 0; s < seeds; s++)
                    {
                        var run = runs[((pi * widths + w) * rates + r) * seeds + s];
                        bool bad = !double.IsFinite(run.Final) || run.Final > initialOf[s];
                        diverged[r] |= bad;
                        final[r] += run.Final / seeds;
                    }
                    if (diverged[r] || !double.IsFinite(final[r])) final[r] = double.PositiveInfinity;
                }
                sweeps.Add(new TransferSweep(options.Parameterizations[pi], options.Widths[w], initial, final, diverged, Best(options.Log2LearningRates, final)));
            }
        }
        return new TransferResult(options, sweeps, clock.Elapsed.TotalSeconds, architecture.ToString(), task.Loss);
    }

    /// <summary>The grid point with the lowest finite loss (the smaller rate on a tie), NaN when none is finite.</summary>
    public static double Best(IReadOnlyList<double> log2Rates, IReadOnlyList<double> losses)
    {
        int best = -1;
        for (int r = 0; r < losses.Count; r++)
            if (double.IsFinite(losses[r]) && (best < 0 || losses[r] < losses[best])) best = r;
        return best < 0 ? double.NaN : log2Rates[best];
    }
}
