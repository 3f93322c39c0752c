using Tangent.Networks;

namespace Tangent.Experiments;

/// <summary>Which data an experiment learns: a built-in task by name with its parameters, or a data file by path.</summary>
public sealed record TaskSpec
{
    /// <summary><c>teacher-poly</c>, <c>sparse-parity</c>, <c>spectral-bias</c>, <c>digits</c>, or the path of a data file.</summary>
    public string Name { get; init; } = "sparse-parity";
    /// <summary>Input dimension d (teacher-poly, sparse-parity); null: the task's default.</summary>
    public int? Dim { get; init; }
    /// <summary>Degree of the teacher polynomial (teacher-poly); null: 1.</summary>
    public int? Degree { get; init; }
    /// <summary>Number of coordinates in the parity (sparse-parity); null: 2.</summary>
    public int? K { get; init; }
    /// <summary>Frequencies of the target's components (spectral-bias); null: 1, 2, 4, 8.</summary>
    public int[]? Frequencies { get; init; }
    /// <summary>Standard deviation of Gaussian noise added to the training targets (built-in regression tasks).</summary>
    public double Noise { get; init; }
    /// <summary>For a data file: a file of targets (labels or values), one per example; null: the file's own labels or last column.</summary>
    public string? Targets { get; init; }
}

/// <summary>How the finite network and its linearisation are trained (the same for both, so only the features differ).</summary>
public sealed record TrainingSpec
{
    /// <summary><c>gd</c> (full batch), <c>sgd</c> or <c>adam</c>.</summary>
    public string Optimizer { get; init; } = "gd";
    /// <summary>Base learning rate (the parameterisation's per-tensor factors apply on top).</summary>
    public double LearningRate { get; init; } = 0.5;
    /// <summary>Optimisation steps.</summary>
    public int Steps { get; init; } = 400;
    /// <summary>Minibatch size for sgd and adam; 0: the whole training set.</summary>
    public int BatchSize { get; init; }
}

/// <summary>
/// One falsifier experiment: a task, an architecture, how to train, what to measure, over which training-set sizes and
/// seeds. Read from flags or a JSON file (<see cref="ExperimentFile"/>); <see cref="Validate"/> checks it before any work.
/// </summary>
public sealed record Experiment
{
    /// <summary>The default architecture: one hidden ReLU layer and a linear readout (its width is <see cref="Width"/>).</summary>
    public const string DefaultArchitecture = "dense(w=1.41,b=0.1) > relu > dense(w=1)";

    /// <summary>The data.</summary>
    public TaskSpec Task { get; init; } = new();
    /// <summary>Architecture in text form or <c>@file.json</c>: the same spec builds the network and the analytic kernels.</summary>
    public string Architecture { get; init; } = DefaultArchitecture;
    /// <summary>Hidden width of the finite network (layers that do not give one).</summary>
    public int Width { get; init; } = 256;
    /// <summary>Parameterisation of the finite network: muP by default, the feature-learning limit.</summary>
    public NetworkParameterization Parameterization { get; init; } = NetworkParameterization.Mup;
    /// <summary>
    /// Output scale α of the network: the trained model is α·(f(x; θ) − f(x; θ₀)) at learning rate η/α² (Chizat, Oyallon
    /// and Bach 2019), so the function-space dynamics start alike for every α; small α keeps features learning, large α
    /// makes training lazy.
    /// </summary>
    public double Alpha { get; init; } = 1;
    /// <summary>Training of the network and its linearisation.</summary>
    public TrainingSpec Training { get; init; } = new();
    /// <summary>
    /// What to measure; the first is the primary metric, whose verdict is the experiment's. Null: by the task (see
    /// <see cref="MetricsFor"/>): test accuracy and sample efficiency for classification and ±1 tasks, test loss and sample
    /// efficiency for regression.
    /// </summary>
    public IReadOnlyList<FalsifierMetric>? Metrics { get; init; }

    /// <summary>The metrics to measure on a task with <paramref name="targets"/>: <see cref="Metrics"/>, or the task's defaults.</summary>
    public IReadOnlyList<FalsifierMetric> MetricsFor(TargetKind targets) => Metrics ??
        (targets == TargetKind.Regression ? [FalsifierMetric.TestLoss, FalsifierMetric.SampleEfficiency] : [FalsifierMetric.TestAccuracy, FalsifierMetric.SampleEfficiency]);
    /// <summary>Training-set sizes n, increasing; the models are trained on nested subsets of one sample per seed.</summary>
    public IReadOnlyList<int> TrainSizes { get; init; } = [50, 100, 200, 400];
    /// <summary>Test examples per seed.</summary>
    public int TestSize { get; init; } = 500;
    /// <summary>Number of seeds (each draws the data and the network's initialisation).</summary>
    public int Seeds { get; init; } = 5;
    /// <summary>The first seed; seeds are <c>FirstSeed</c>, <c>FirstSeed + 1</c>, ...</summary>
    public ulong FirstSeed { get; init; }
    /// <summary>Whether to train the linearised network (frozen features).</summary>
    public bool Linearised { get; init; } = true;
    /// <summary>Ridge of the kernel regressions, relative to trace(K)/n.</summary>
    public double Ridge { get; init; } = 1e-6;
    /// <summary>Margin δ of practical equivalence, in the metric's units; null: the metric's default (<see cref="VerdictRule.DefaultMargin"/>).</summary>
    public double? Margin { get; init; }
    /// <summary>Confidence level of the intervals over seeds.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>The seeds, in order.</summary>
    public IEnumerable<ulong> SeedList => Enumerable.Range(0, Seeds).Select(i => FirstSeed + (ulong)i);

    /// <summary>Checks every setting; throws <see cref="ExperimentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Task.Name)) throw new ExperimentException("task: give a built-in task (teacher-poly, sparse-parity, spectral-bias, digits) or a data file");
        if (string.IsNullOrWhiteSpace(Architecture)) throw new ExperimentException("architecture: empty");
        if (Width < 1) throw new ExperimentException($"width must be a positive integer, got {Width}");
        if (!(Alpha > 0) || !double.IsFinite(Alpha)) throw new ExperimentException($"alpha must be a positive number, got {Alpha}");
        if (Training.Optimizer is not ("gd" or "sgd" or "adam")) throw new ExperimentException($"training.optimizer: unknown optimiser '{Training.Optimizer}'; use gd, sgd or adam");
        if (!(Training.LearningRate > 0) || !double.IsFinite(Training.LearningRate)) throw new ExperimentException($"training.learning_rate must be a positive number, got {Training.LearningRate}");
        if (Training.Steps < 1) throw new ExperimentException($"training.steps must be a positive integer, got {Training.Steps}");
        if (Training.BatchSize < 0) throw new ExperimentException($"training.batch_size must be 0 (full batch) or positive, got {Training.BatchSize}");
        if (Metrics is { Count: 0 }) throw new ExperimentException("metrics: give at least one metric");
        if (Metrics is not null && Metrics.Distinct().Count() != Metrics.Count) throw new ExperimentException("metrics: a metric is listed twice");
        if (TrainSizes.Count == 0) throw new ExperimentException("train_sizes: give at least one training-set size");
        for (int i = 0; i < TrainSizes.Count; i++)
        {
            if (TrainSizes[i] < 2) throw new ExperimentException($"train_sizes: {TrainSizes[i]} is too small; each n must be at least 2");
            if (i > 0 && TrainSizes[i] <= TrainSizes[i - 1]) throw new ExperimentException("train_sizes must increase strictly, e.g. 50,100,200");
        }
        if (TestSize < 2) throw new ExperimentException($"test_size must be at least 2, got {TestSize}");
        if (Seeds < 2) throw new ExperimentException($"seeds must be at least 2, got {Seeds}: a verdict needs an interval over seeds");
        if (!(Ridge >= 0) || !double.IsFinite(Ridge)) throw new ExperimentException($"ridge must be a non-negative number, got {Ridge}");
        if (Margin is { } m && (!(m >= 0) || !double.IsFinite(m))) throw new ExperimentException($"margin must be a non-negative number, got {m}");
        if (!(Confidence > 0.5 && Confidence < 1)) throw new ExperimentException($"confidence must lie in (0.5, 1), got {Confidence}");
        if (Task.Dim is < 1) throw new ExperimentException($"task.dim must be a positive integer, got {Task.Dim}");
        if (Task.Degree is < 0) throw new ExperimentException($"task.degree must be a non-negative integer, got {Task.Degree}");
        if (Task.K is < 1) throw new ExperimentException($"task.k must be a positive integer, got {Task.K}");
        if (Task.Frequencies is { } f && (f.Length == 0 || f.Any(v => v < 1))) throw new ExperimentException("task.frequencies: give positive integers, e.g. 1,2,4,8");
        if (!(Task.Noise >= 0) || !double.IsFinite(Task.Noise)) throw new ExperimentException($"task.noise must be a non-negative number, got {Task.Noise}");
    }
}
