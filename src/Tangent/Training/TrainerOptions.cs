namespace Tangent.Training;

/// <summary>How a <see cref="Trainer{T}"/> trains: optimiser, rates, batches, loss and planned length.</summary>
public sealed record TrainerOptions
{
    /// <summary>The optimiser; <see cref="TrainingOptimizer.GradientDescent"/> uses the whole training set every step.</summary>
    public TrainingOptimizer Optimizer { get; init; } = TrainingOptimizer.GradientDescent;
    /// <summary>Base learning rate η (each tensor multiplies it by its parameterisation's factor; with an output scale α it is divided by α²).</summary>
    public double LearningRate { get; init; } = 0.1;
    /// <summary>Examples per mini-batch for SGD and Adam; 0 or at least N: full batch.</summary>
    public int BatchSize { get; init; }
    /// <summary>Heavy-ball momentum μ of GD/SGD.</summary>
    public double Momentum { get; init; }
    /// <summary>Weight decay λ (coupled for GD/SGD, decoupled for Adam).</summary>
    public double WeightDecay { get; init; }
    /// <summary>Adam's β₁.</summary>
    public double Beta1 { get; init; } = 0.9;
    /// <summary>Adam's β₂.</summary>
    public double Beta2 { get; init; } = 0.999;
    /// <summary>Adam's ε.</summary>
    public double Epsilon { get; init; } = 1e-8;
    /// <summary>The learning-rate schedule.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;
    /// <summary>The loss.</summary>
    public LossKind Loss { get; init; } = LossKind.Mse;
    /// <summary>Planned number of steps (what schedules such as cosine count towards, and what <see cref="Trainer{T}.Run"/> runs).</summary>
    public int Steps { get; init; } = 100;
    /// <summary>Seed of the mini-batch order (two trainers with the same seed and data see the same batches).</summary>
    public ulong BatchSeed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"the learning rate must be positive and finite, got {LearningRate}");
        if (BatchSize < 0) throw new ArgumentException($"the batch size must be non-negative, got {BatchSize}");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentException($"the momentum must lie in [0, 1), got {Momentum}");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw new ArgumentException($"the weight decay must be non-negative, got {WeightDecay}");
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1)) throw new ArgumentException("Adam's betas must lie in [0, 1)");
        if (!(Epsilon > 0)) throw new ArgumentException($"Adam's epsilon must be positive, got {Epsilon}");
        if (Steps < 0) throw new ArgumentException($"the number of steps must be non-negative, got {Steps}");
    }
}
