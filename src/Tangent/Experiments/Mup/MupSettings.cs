using Tangent.Experiments.Tasks;
using Tangent.Networks;
using Tangent.Training;

namespace Tangent.Experiments.Mup;

/// <summary>
/// What every μP experiment sets: the network and task, the widths, the training length, the seeds and the
/// parameterisations compared. <see cref="CoordCheckOptions"/> and <see cref="TransferOptions"/> add their own.
/// </summary>
public abstract record MupSettings
{
    /// <summary>The network (null: <see cref="MupRuns.DefaultArchitecture"/> with the task's outputs); every hidden width is replaced by each of <see cref="Widths"/>.</summary>
    public string? Architecture { get; init; }
    /// <summary>Hidden widths, increasing.</summary>
    public IReadOnlyList<int> Widths { get; init; } = [];
    /// <summary>Training steps of every run.</summary>
    public int Steps { get; init; }
    /// <summary>Examples per mini-batch.</summary>
    public int Batch { get; init; } = 64;
    /// <summary>Independent runs per setting (each with its own initialisation and batch order), averaged.</summary>
    public int Seeds { get; init; }
    /// <summary>Base seed: replicate r uses <see cref="SeededNormal.Sample"/>(Seed, r) for its weights and batches.</summary>
    public ulong Seed { get; init; }
    /// <summary>Parameterisations compared (standard and μP).</summary>
    public IReadOnlyList<NetworkParameterization> Parameterizations { get; init; } = [NetworkParameterization.Standard, NetworkParameterization.Mup];
    /// <summary>How μP's readout weights start (the standard parameterisation always draws them N(0, W_std²/fan_in)).</summary>
    public MupReadoutInit MupReadout { get; init; } = MupReadoutInit.Zero;
    /// <summary>The built-in task (<see cref="TaskRegistry"/>); its data are drawn with <see cref="Seed"/>.</summary>
    public string Task { get; init; } = "digits";
    /// <summary>The loss; null: cross-entropy for classification tasks, MSE for one output (<see cref="MupTask.Load"/>).</summary>
    public LossKind? Loss { get; init; }
    /// <summary>Runs computed at once (0: one per core); results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad shared setting; <paramref name="experiment"/> names the experiment in the message.</summary>
    protected void ValidateShared(string experiment)
    {
        if (Widths.Count < 2) throw new ArgumentException($"{experiment} needs at least two widths");
        if (Widths.Any(w => w < 1) || Widths.Distinct().Count() != Widths.Count) throw new ArgumentException("widths must be positive and distinct");
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad training-length setting.</summary>
    protected void ValidateRuns()
    {
        if (Steps < 1) throw new ArgumentException($"steps must be at least 1, got {Steps}");
        if (Batch < 1) throw new ArgumentException($"the batch must hold at least one example, got {Batch}");
        if (Seeds < 1) throw new ArgumentException($"seeds must be at least 1, got {Seeds}");
    }
}
