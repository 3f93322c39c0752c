using System.Diagnostics;
using Tangent.Dynamics;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Spectra;

namespace Tangent.Experiments;

/// <summary>
/// Runs one falsifier experiment: for every seed, draws the task's data once (a training pool and a test set); for every
/// training-set size n, trains the network in the feature-learning regime and its linearisation on the first n examples
/// and fits the NTK and NNGP regressions; measures every model; then decides each metric by <see cref="VerdictRule"/>.
/// </summary>
public static class Falsifier
{
    /// <summary>The model names, in report order.</summary>
    public const string Network = VerdictRule.Network, Linearised = "linearised", Ntk = VerdictRule.Ntk, Nngp = "nngp";

    /// <summary>
    /// Checks that <paramref name="task"/> can be measured as <paramref name="experiment"/> asks, before any work; throws
    /// <see cref="ExperimentException"/> naming the problem.
    /// </summary>
    public static void Check(Experiment experiment, FalsifierTask task)
    {
        experiment.Validate();
        foreach (var m in experiment.MetricsFor(task.Targets))
        {
            if (m == FalsifierMetric.TestAccuracy && task.Targets == TargetKind.Regression)
                throw new ExperimentException($"metric test-accuracy needs class or ±1 targets, but {task.Description} is a regression; use test-loss");
            if (m == FalsifierMetric.SpectralBias && task.Frequencies is null)
                throw new ExperimentException($"metric spectral-bias needs a task with known frequencies (spectral-bias), not {task.Description}");
            if (m == FalsifierMetric.KernelAlignment && !experiment.Linearised)
                throw new ExperimentException("metric kernel-alignment compares the trained network's kernel with its initial one: it needs the linearised arm");
        }
        task.CheckSize(experiment.TrainSizes[^1], experiment.TestSize);
        WithReadout(Architecture.Parse(experiment.Architecture), task.Outputs);
    }

    /// <summary>Runs <paramref name="experiment"/> on <paramref name="task"/>; <paramref name="arms"/> trains the finite networks.</summary>
    public static FalsifierResult Run(Experiment experiment, FalsifierTask task, INetworkArms arms, IProgress<double>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(arms);
        Check(experiment, task);
        experiment = experiment with { Metrics = experiment.MetricsFor(task.Targets) };
        var clock = Stopwatch.StartNew();
        var architecture = WithReadout(Architecture.Parse(experiment.Architecture), task.Outputs);
        var shape = task.InputShape;
        var seeds = experiment.SeedList.ToArray();
        var sizes = experiment.TrainSizes;
        var models = experiment.Linearised ? new[] { Network, Linearised, Ntk, Nngp } : [Network, Ntk, Nngp];
        bool classify = task.Targets != TargetKind.Regression;
        bool alignment = experiment.Metrics!.Contains(FalsifierMetric.KernelAlignment);
        bool spectral = experiment.Metrics!.Contains(FalsifierMetric.SpectralBias);
        var frequencies = task.Frequencies;

        Dictionary<string, double[,]> Table(int columns) => models.ToDictionary(m => m, _ => new double[seeds.Length, columns]);
        var accuracy = classify ? Table(sizes.Count) : null;
        var mse = Table(sizes.Count);
        var captured = spectral ? Table(frequencies!.Count) : null;
        var aligned = alignment ? models.ToDictionary(m => m, _ => new double[seeds.Length]) : null;
        FalsifierDiagnostics? diagnostics = null;

        double units = seeds.Length * (1 + sizes.Count), done = 0;
        void Step() { done++; progress?.Report(done / units); }

        for (int s = 0; s < seeds.Length; s++)
        {
            cancel.ThrowIfCancellationRequested();
            var data = task.Sample(sizes[^1], experiment.TestSize, seeds[s]);
            var kernels = KernelArm.Compute(architecture, shape, data, experiment.Ridge, cancel);
            Step();
            for (int j = 0; j < sizes.Count; j++)
            {
                cancel.ThrowIfCancellationRequested();
                int n = sizes[j];
                bool last = j == sizes.Count - 1;
                bool diagnose = last && (s == 0 || alignment);
                var (x, y) = data.Train(n);
                // Curves and kernel movement for the report come from the first seed; the other seeds only need the kernels.
                var outcome = arms.Train(new NetworkArmsRequest(architecture, shape, experiment, x, y, data.XTest, data.YTest, seeds[s], diagnose, KernelsOnly: s != 0), cancel);
                var predictions = new Dictionary<string, Matrix<double>>
                {
                    [Network] = outcome.Network.TestPrediction,
                    [Ntk] = kernels.Predict(KernelKind.Ntk, n, y),
                    [Nngp] = kernels.Predict(KernelKind.Nngp, n, y),
                };
                if (experiment.Linearised)
                    predictions[Linearised] = outcome.Linearised?.TestPrediction ?? throw new InvalidOperationException("the network arms returned no linearised model");
                foreach (var (model, f) in predictions)
                {
                    EnsureFinite(f, model, n, seeds[s]);
                    mse[model][s, j] = Measures.RelativeMse(f, data.YTest);
                    if (accuracy is not null) accuracy[model][s, j] = Measures.Accuracy(f, data.YTest, task.Targets);
                    if (last && captured is not null)
                    {
                        var c = Measures.CapturedPerFrequency(f, data.YTest, data.TestAngles!, frequencies!);
                        for (int q = 0; q < c.Length; q++) captured[model][s, q] = c[q];
                    }
                }
                if (last && aligned is not null)
                {
                    aligned[Network][s] = KernelAlignment.CenteredWithTargets(Required(outcome.Network.FinalNtk, "trained network's empirical NTK"), y);
                    aligned[Linearised][s] = KernelAlignment.CenteredWithTargets(Required(outcome.InitialNtk, "initial empirical NTK"), y);
                    aligned[Ntk][s] = KernelAlignment.CenteredWithTargets(kernels.TrainKernel(KernelKind.Ntk, n), y);
                    aligned[Nngp][s] = KernelAlignment.CenteredWithTargets(kernels.TrainKernel(KernelKind.Nngp, n), y);
                }
                if (diagnose && s == 0)
                    diagnostics = Diagnose(seeds[s], n, outcome, kernels, y, predictions, data.YTest);
                Step();
            }
        }

        var verdicts = new List<MetricVerdict>();
        foreach (var metric in experiment.Metrics!)
        {
            double margin = experiment.Margin ?? VerdictRule.DefaultMargin(metric, task.Targets);
            Dictionary<string, double[]> values;
            bool higher = true, fraction = false;
            switch (metric)
            {
                case FalsifierMetric.TestAccuracy:
                    values = models.ToDictionary(m => m, m => Column(accuracy![m], sizes.Count - 1));
                    fraction = true;
                    break;
                case FalsifierMetric.TestLoss:
                    values = models.ToDictionary(m => m, m => Column(mse[m], sizes.Count - 1));
                    higher = false;
                    break;
                case FalsifierMetric.SampleEfficiency:
                    values = models.ToDictionary(m => m, m => RowMeans(accuracy?[m] ?? mse[m]));
                    higher = fraction = classify;
                    break;
                case FalsifierMetric.KernelAlignment:
                    values = models.ToDictionary(m => m, m => aligned![m]);
                    break;
                default:
                    values = models.ToDictionary(m => m, m => RowMeans(captured![m]));
                    break;
            }
            verdicts.Add(VerdictRule.Decide(metric, values, higher, margin, experiment.Confidence, fraction));
        }

        return new FalsifierResult
        {
            Experiment = experiment,
            Task = task.Description,
            Targets = task.Targets,
            Architecture = architecture.ToString(),
            Models = models,
            Seeds = seeds,
            TrainSizes = sizes,
            Accuracy = accuracy,
            RelativeMse = mse,
            Alignment = aligned,
            Captured = captured,
            Frequencies = frequencies,
            Verdicts = verdicts,
            Diagnostics = diagnostics,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// The architecture with a readout of <paramref name="outputs"/> outputs: a final Dense layer that leaves its width
    /// unspecified (one output, as the analytic kernels assume) gets the task's output count; one that gives another
    /// count is refused. The analytic kernels are the same for every output, so only the finite network changes.
    /// </summary>
    public static Architecture WithReadout(Architecture architecture, int outputs)
    {
        if (architecture.Layers[^1] is not Dense readout)
            throw new ExperimentException($"the architecture must end with a dense readout (of {outputs} output{(outputs == 1 ? "" : "s")}), not {architecture.Layers[^1].TypeName}");
        if (readout.Width == outputs || readout.Width == 0 && outputs == 1) return architecture;
        if (readout.Width != 0)
            throw new ExperimentException($"the architecture's readout has {readout.Width} outputs, but the task has {outputs}; leave the last dense layer's width unset");
        var layers = architecture.Layers.ToList();
        layers[^1] = new Dense(readout.WStd, readout.BStd, outputs, readout.Parameterization);
        return new Architecture(layers);
    }

    private static FalsifierDiagnostics Diagnose(ulong seed, int n, NetworkArmsOutcome outcome, KernelArm kernels, Matrix<double> y,
        Dictionary<string, Matrix<double>> predictions, Matrix<double> yTest)
    {
        var loss = new Dictionary<string, double>
        {
            [Ntk] = HalfMse(predictions[Ntk], yTest),
            [Nngp] = HalfMse(predictions[Nngp], yTest),
        };
        var spectra = new Dictionary<string, double[]>();
        var power = new Dictionary<string, double[]>();
        void Add(string name, Matrix<double>? k)
        {
            if (k is null) return;
            var (values, cumulative) = SpectrumOf(k, y);
            spectra[name] = values;
            power[name] = cumulative;
        }
        Add("analytic NTK", kernels.TrainKernel(KernelKind.Ntk, n));
        Add("empirical NTK at initialisation", outcome.InitialNtk);
        Add("empirical NTK after training", outcome.Network.FinalNtk);
        return new FalsifierDiagnostics(seed, n, outcome.Network.Curve, outcome.Linearised?.Curve, loss, outcome.Movement, spectra, power);
    }

    /// <summary>
    /// Eigenvalues of <paramref name="k"/> divided by the trace (largest first), and the cumulative fraction of the centred
    /// targets' energy in the top eigenvectors: how much of y the kernel's leading directions can express.
    /// </summary>
    public static (double[] Values, double[] CumulativeTargetPower) SpectrumOf(Matrix<double> k, Matrix<double> y)
    {
        // Diagonalised directly, not through KernelEigenbasis: an empirical kernel may have eigenvalues a rounding
        // below zero, which a spectrum plot shows as zero rather than refusing.
        int n = k.Rows;
        var vectors = k.Clone();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) vectors[i, j] = vectors[j, i] = 0.5 * (k[i, j] + k[j, i]);
        var eigen = new double[n];
        LinearAlgebra.Current.SymmetricEigen(n, vectors.Data, eigen);
        var values = new double[n];
        double trace = 0;
        for (int i = 0; i < n; i++) trace += Math.Max(eigen[i], 0);
        // Largest first, whatever order the eigensolver returns; eigenvectors are the columns of vectors.
        var order = Enumerable.Range(0, n).OrderByDescending(i => eigen[i]).ToArray();
        for (int i = 0; i < n; i++) values[i] = trace > 0 ? Math.Max(eigen[order[i]], 0) / trace : 0;
        var yc = y.Clone();
        for (int o = 0; o < y.Cols; o++)
        {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += y[i, o];
            mean /= n;
            for (int i = 0; i < n; i++) yc[i, o] -= mean;
        }
        var energy = new double[n];
        double total = 0;
        for (int q = 0; q < n; q++)
        {
            int v = order[q];
            double e = 0;
            for (int o = 0; o < y.Cols; o++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += vectors[i, v] * yc[i, o];
                e += dot * dot;
            }
            energy[q] = e;
            total += e;
        }
        double running = 0;
        for (int q = 0; q < n; q++) { running += energy[q]; energy[q] = total > 0 ? running / total : 0; }
        return (values, energy);
    }

    /// <summary>½·mean of squared errors over examples and outputs (the trainer's loss).</summary>
    public static double HalfMse(Matrix<double> f, Matrix<double> y)
    {
        double s = 0;
        for (int i = 0; i < f.Data.Length; i++) { double e = f.Data[i] - y.Data[i]; s += e * e; }
        return 0.5 * s / f.Data.Length;
    }

    private static Matrix<double> Required(Matrix<double>? k, string what) =>
        k ?? throw new InvalidOperationException($"the network arms returned no {what}");

    private static void EnsureFinite(Matrix<double> f, string model, int n, ulong seed)
    {
        foreach (double v in f.Data)
            if (!double.IsFinite(v))
                throw new ExperimentException($"the {VerdictRule.Label(model)} diverged (seed {seed}, n = {n}): its predictions are not finite; lower the learning rate");
    }

    private static double[] Column(double[,] table, int j)
    {
        var c = new double[table.GetLength(0)];
        for (int s = 0; s < c.Length; s++) c[s] = table[s, j];
        return c;
    }

    private static double[] RowMeans(double[,] table)
    {
        var r = new double[table.GetLength(0)];
        for (int s = 0; s < r.Length; s++)
        {
            double sum = 0;
            for (int j = 0; j < table.GetLength(1); j++) sum += table[s, j];
            r[s] = sum / table.GetLength(1);
        }
        return r;
    }
}
