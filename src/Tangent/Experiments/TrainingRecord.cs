using System.Text.Json.Serialization;

namespace Tangent.Experiments;

/// <summary>The measurements at one observed step of a training run (one line of <c>metrics.jsonl</c>).</summary>
public sealed record TrainingRecord
{
    /// <summary>Optimiser steps taken.</summary>
    public int Step { get; init; }
    /// <summary>The learning rate of the next step (η·schedule/α²).</summary>
    public double LearningRate { get; init; }
    /// <summary>The network's train loss.</summary>
    public double TrainLoss { get; init; }
    /// <summary>The network's test loss.</summary>
    public double TestLoss { get; init; }
    /// <summary>The network's train accuracy.</summary>
    public double TrainAccuracy { get; init; }
    /// <summary>The network's test accuracy.</summary>
    public double TestAccuracy { get; init; }
    /// <summary>The linearised model's train loss (NaN without linearisation).</summary>
    public double LinTrainLoss { get; init; } = double.NaN;
    /// <summary>The linearised model's test loss.</summary>
    public double LinTestLoss { get; init; } = double.NaN;
    /// <summary>The linearised model's train accuracy.</summary>
    public double LinTrainAccuracy { get; init; } = double.NaN;
    /// <summary>The linearised model's test accuracy.</summary>
    public double LinTestAccuracy { get; init; } = double.NaN;
    /// <summary>RMS over test outputs of f − f_lin.</summary>
    public double OutputGap { get; init; } = double.NaN;
    /// <summary>‖f − f_lin‖_F / ‖f_lin‖_F on the test points.</summary>
    public double OutputGapRelative { get; init; } = double.NaN;
    /// <summary>‖θ_t − θ₀‖ / ‖θ₀‖ over all parameters.</summary>
    public double ParamChange { get; init; }
    /// <summary>‖θ_t − θ₀‖ / ‖θ₀‖ per tensor.</summary>
    public IReadOnlyDictionary<string, double> ParamChangePerTensor { get; init; } = new Dictionary<string, double>();
    /// <summary>‖K_t − K₀‖_F / ‖K₀‖_F on the probe set (NaN without probes).</summary>
    public double KernelChange { get; init; } = double.NaN;
    /// <summary>Centred kernel–target alignment of K_t on the probe set.</summary>
    public double KernelAlignment { get; init; } = double.NaN;
    /// <summary>CKA(K_t, K₀).</summary>
    public double KernelCka { get; init; } = double.NaN;
    /// <summary>‖K_t − K_s‖_F / ‖K_s‖_F / (t − s) since the previous observation s.</summary>
    public double KernelVelocity { get; init; } = double.NaN;
    /// <summary>Largest eigenvalues of K_t, descending.</summary>
    public double[] KernelEigenvalues { get; init; } = [];
    /// <summary>Seconds since the run started.</summary>
    public double Seconds { get; init; }

    /// <summary>The measurement names that are numbers, for tables and aggregation.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, double> Scalars => new Dictionary<string, double>
    {
        ["train_loss"] = TrainLoss, ["test_loss"] = TestLoss, ["train_accuracy"] = TrainAccuracy, ["test_accuracy"] = TestAccuracy,
        ["lin_train_loss"] = LinTrainLoss, ["lin_test_loss"] = LinTestLoss, ["lin_train_accuracy"] = LinTrainAccuracy, ["lin_test_accuracy"] = LinTestAccuracy,
        ["output_gap"] = OutputGap, ["output_gap_relative"] = OutputGapRelative, ["param_change"] = ParamChange,
        ["kernel_change"] = KernelChange, ["kernel_alignment"] = KernelAlignment, ["kernel_cka"] = KernelCka, ["kernel_velocity"] = KernelVelocity,
    };
}
