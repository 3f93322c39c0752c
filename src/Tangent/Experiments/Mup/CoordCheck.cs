using System.Diagnostics;
using Tangent.Empirical;
using Tangent.Experiments.Tasks;
using Tangent.Training;
using Tangent.Networks;

namespace Tangent.Experiments.Mup;

/// <summary>Settings of a coordinate check (<c>tangent mup coord-check</c>).</summary>
public sealed record CoordCheckOptions : MupSettings
{
    /// <summary>The defaults: widths 64..4096, T = 5 steps (activations are read after each of steps 0..T; the probe batch is the first <see cref="MupSettings.Batch"/> examples), 4 seeds.</summary>
    public CoordCheckOptions()
    {
        Widths = [64, 128, 256, 512, 1024, 2048, 4096];
        Steps = 5;
        Seeds = 4;
    }

    /// <summary>Optimisers; the first one's slopes are the summary <c>slopes</c> of the JSON report.</summary>
    public IReadOnlyList<OptimizerKind> Optimizers { get; init; } = [OptimizerKind.Sgd, OptimizerKind.Adam];
    /// <summary>Base learning rate of SGD, the same at every width (μP multiplies it per tensor).</summary>
    public double SgdLearningRate { get; init; } = 0.5;
    /// <summary>Base learning rate of Adam, the same at every width.</summary>
    public double AdamLearningRate { get; init; } = 0.01;
    /// <summary>The base learning rate for <paramref name="optimizer"/>.</summary>
    public double LearningRate(OptimizerKind optimizer) => optimizer == OptimizerKind.Adam ? AdamLearningRate : SgdLearningRate;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        ValidateShared("a coordinate check");
        ValidateRuns();
        if (Parameterizations.Count == 0 || Optimizers.Count == 0) throw new ArgumentException("give at least one parameterisation and one optimiser");
        foreach (double lr in new[] { SgdLearningRate, AdamLearningRate })
            if (!(lr > 0) || !double.IsFinite(lr)) throw new ArgumentException($"learning rates must be positive and finite, got {lr}");
    }
}

/// <summary>One panel of a coordinate check: one parameterisation trained with one optimiser, at every width.</summary>
/// <param name="Parameterization">Standard or μP.</param>
/// <param name="Optimizer">SGD or Adam.</param>
/// <param name="LearningRate">The base learning rate, the same at every width.</param>
/// <param name="Size">[step t][width][layer]: RMS of the layer's output x_t on the probe batch, averaged over seeds.</param>
/// <param name="Change">[step t][width][layer]: RMS of x_t − x_0, averaged over seeds.</param>
/// <param name="ChangeFits">Per layer: log-log fit of the change at the last step against width (null where a value is zero or not finite).</param>
/// <param name="SizeFits">Per layer: log-log fit of the size at the last step against width.</param>
public sealed record CoordCheckPanel(NetworkParameterization Parameterization, OptimizerKind Optimizer, double LearningRate,
    double[][][] Size, double[][][] Change, IReadOnlyList<LogLogFit?> ChangeFits, IReadOnlyList<LogLogFit?> SizeFits);

/// <summary>The result of a coordinate check.</summary>
/// <param name="Options">The settings.</param>
/// <param name="Layers">Layer names (<c>{position}.{type}</c>), the last one the readout.</param>
/// <param name="Panels">One per (parameterisation, optimiser), in the order of the settings.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Architecture">The network that was trained (text form).</param>
/// <param name="Loss">The loss that was trained on.</param>
public sealed record CoordCheckResult(CoordCheckOptions Options, IReadOnlyList<string> Layers, IReadOnlyList<CoordCheckPanel> Panels, double Seconds,
    string Architecture, LossKind Loss)
{
    /// <summary>The readout's name.</summary>
    public string OutputLayer => Layers[^1];
}

/// <summary>
/// The coordinate check of Yang et al. (Tensor Programs V, §D; the mup package's <c>coord_check</c>): train networks of
/// growing width with the same base learning rate for a few steps and watch the typical size of every layer's output.
/// In a parameterisation with a width-independent limit (μP) every curve is flat in the width; in the standard
/// parameterisation the updates, and with them the readout, grow with the width and eventually blow up.
/// </summary>
/// <remarks>
/// The slopes are fitted on the change x_T − x_0 after the last step, not on x_T itself: at initialisation both
/// parameterisations are width-independent by construction (μP's readout even vanishes like 1/√n), so x_T is dominated
/// by x_0 at small widths and hides how the updates scale, which is what μP is about. Under SP the readout's change
/// grows like n (SGD) and the hidden layers' like √n; under μP every change is Θ(1). The size fits are reported too.
/// </remarks>
public static class CoordCheck
{
    /// <summary>Runs the check.</summary>
    public static CoordCheckResult Run(CoordCheckOptions options, IProgress<double>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var (task, architecture) = MupRuns.Setup(options.Architecture, options.Task, options.Seed, options.Loss);
        var probe = task.FirstInputs(options.Batch);
        int widths = options.Widths.Count, seeds = options.Seeds, steps = options.Steps;
        int configs = options.Parameterizations.Count * options.Optimizers.Count;
        string[] layers = LayerCoordinates<double>.LayerNames(MupRuns.Network(architecture, task, options.Parameterizations[0], options.Widths[0], 0));

        // Job (c, w, s): configuration c at width w with seed s; its result holds size and change per step and layer.
        int Config(int job) => job / (widths * seeds);
        int Width(int job) => job / seeds % widths;
        var runs = MupRuns.RunAll(configs * widths * seeds, job => (double)options.Widths[Width(job)] * options.Widths[Width(job)], job =>
        {
            var p = options.Parameterizations[Config(job) / options.Optimizers.Count];
            var o = options.Optimizers[Config(job) % options.Optimizers.Count];
            ulong seed = SeededNormal.Sample(options.Seed, job % seeds);
            var net = MupRuns.Network(architecture, task, p, options.Widths[Width(job)], seed, options.MupReadout);
            var trainer = MupRuns.Trainer(net, task, o, options.LearningRate(o), options.Batch, steps, seed);
            var reader = new LayerCoordinates<double>(net, probe);
            var size = new double[steps + 1][];
            var change = new double[steps + 1][];
            for (int t = 0; t <= steps; t++)
            {
                if (t > 0) trainer.Step();
                size[t] = new double[layers.Length];
                change[t] = new double[layers.Length];
                reader.Read(size[t], change[t]);
            }
            return (Size: size, Change: change);
        }, options.Threads, progress, cancel);

        var panels = new List<CoordCheckPanel>();
        for (int c = 0; c < configs; c++)
        {
            var size = Average(runs, c, widths, seeds, steps, layers.Length, r => r.Size);
            var change = Average(runs, c, widths, seeds, steps, layers.Length, r => r.Change);
            var p = options.Parameterizations[c / options.Optimizers.Count];
            var o = options.Optimizers[c % options.Optimizers.Count];
            panels.Add(new CoordCheckPanel(p, o, options.LearningRate(o), size, change,
                Fits(options.Widths, change[steps]), Fits(options.Widths, size[steps])));
        }
        return new CoordCheckResult(options, layers, panels, clock.Elapsed.TotalSeconds, architecture.ToString(), task.Loss);
    }

    /// <summary>Per layer, the log-log fit of <paramref name="values"/>[width][layer] against the widths, or null where it is undefined.</summary>
    public static LogLogFit?[] Fits(IReadOnlyList<int> widths, double[][] values)
    {
        int layers = values[0].Length;
        var fits = new LogLogFit?[layers];
        var x = widths.Select(w => (double)w).ToArray();
        for (int l = 0; l < layers; l++)
        {
            var y = values.Select(row => row[l]).ToArray();
            fits[l] = y.All(v => v > 0 && double.IsFinite(v)) ? LogLogFit.Fit(x, y) : null;
        }
        return fits;
    }

    private static double[][][] Average((double[][] Size, double[][] Change)[] runs, int config, int widths, int seeds, int steps, int layers,
        Func<(double[][] Size, double[][] Change), double[][]> pick)
    {
        var mean = new double[steps + 1][][];
        for (int t = 0; t <= steps; t++)
        {
            mean[t] = new double[widths][];
            for (int w = 0; w < widths; w++)
            {
                mean[t][w] = new double[layers];
                for (int s = 0; s < seeds; s++)
                {
                    var values = pick(runs[(config * widths + w) * seeds + s])[t];
                    for (int l = 0; l < layers; l++) mean[t][w][l] += values[l] / seeds;
                }
            }
        }
        return mean;
    }
}
