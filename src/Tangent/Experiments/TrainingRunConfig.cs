using System.Globalization;
using Tangent.Experiments.Tasks;
using Tangent.Networks;
using Tangent.Training;

namespace Tangent.Experiments;

/// <summary>
/// Everything one training run depends on (<c>tangent train</c>, one point of <c>tangent sweep</c>): task and data, the
/// network, the trainer, the regime knobs (output scale α, initialisation scale) and what to measure.
/// </summary>
public sealed record TrainingRunConfig
{
    /// <summary>Task name in <see cref="TaskRegistry"/>.</summary>
    public string Task { get; init; } = "teacher";
    /// <summary>Architecture text/JSON spec; null: the task's default. Hidden widths are set to <see cref="Width"/>.</summary>
    public string? Architecture { get; init; }
    /// <summary>Hidden width n (replaces every hidden width of the spec).</summary>
    public int Width { get; init; } = 256;
    /// <summary>The parameterisation of every layer.</summary>
    public NetworkParameterization Parameterization { get; init; } = NetworkParameterization.Ntk;
    /// <summary>Seed of the initialisation and of the batch order.</summary>
    public ulong Seed { get; init; }
    /// <summary>Seed of the data (fixed across a sweep's seeds, so seeds vary only the network).</summary>
    public ulong DataSeed { get; init; }
    /// <summary>Training examples; 0: the task's default.</summary>
    public int TrainCount { get; init; }
    /// <summary>Test examples; 0: the task's default.</summary>
    public int TestCount { get; init; }
    /// <summary>Probe points for kernel measurements (the first training examples); 0: no kernel measurements.</summary>
    public int ProbeCount { get; init; } = 64;
    /// <summary>The trainer's options (<see cref="TrainerOptions.Steps"/> is the run's length).</summary>
    public TrainerOptions Trainer { get; init; } = new();
    /// <summary>The loss; null: the task's default (overrides <see cref="TrainerOptions.Loss"/>).</summary>
    public LossKind? Loss { get; init; }
    /// <summary>Output scale α of Chizat, Oyallon &amp; Bach; null: the plain model f_θ.</summary>
    public double? Alpha { get; init; }
    /// <summary>Initialisation scale of Geiger et al.: initial weights multiplied by it.</summary>
    public double InitScale { get; init; } = 1;
    /// <summary>Also train the linearised model in lockstep.</summary>
    public bool Linearize { get; init; } = true;
    /// <summary>Steps at which to measure; null: 0, the final step, and about 12 log-spaced steps between.</summary>
    public IReadOnlyList<int>? ObserveSteps { get; init; }
    /// <summary>Eigenvalues of K_t to record.</summary>
    public int SpectrumSize { get; init; } = 16;

    /// <summary>The steps to observe: the explicit list, or the default log-spaced list, always with 0 and the last step.</summary>
    public int[] StepsToObserve()
    {
        int total = Trainer.Steps;
        var set = new SortedSet<int> { 0, total };
        if (ObserveSteps is not null) foreach (int s in ObserveSteps) { if (s >= 0 && s <= total) set.Add(s); }
        else for (int k = 0; k <= 12; k++) set.Add((int)Math.Round(Math.Pow(total, k / 12.0)));
        return [.. set];
    }

    /// <summary>A short label such as <c>ntk w=256 α=0.1 lr=0.5 seed=0</c>.</summary>
    public string Label => string.Create(CultureInfo.InvariantCulture,
        $"{Parameterization.Name()} w={Width}{(Alpha is { } a ? $" α={a:G4}" : "")} lr={Trainer.LearningRate:G4} seed={Seed}");
}
