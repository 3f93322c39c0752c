using Tangent.Networks;

namespace Tangent.Training;

/// <summary>The optimisers of the trainer (<c>--optimizer</c>).</summary>
public enum TrainingOptimizer
{
    /// <summary>Full-batch gradient descent (the batch is the whole training set), optional heavy-ball momentum.</summary>
    GradientDescent,
    /// <summary>Mini-batch stochastic gradient descent, optional heavy-ball momentum.</summary>
    Sgd,
    /// <summary>Adam (Kingma &amp; Ba 2015) with bias correction.</summary>
    Adam,
}

/// <summary>Names of <see cref="TrainingOptimizer"/>.</summary>
public static class TrainingOptimizers
{
    /// <summary>Command-line names: gd, sgd, adam.</summary>
    public static readonly string[] Names = ["gd", "sgd", "adam"];

    /// <summary>The command-line name.</summary>
    public static string Name(this TrainingOptimizer o) => Names[(int)o];

    /// <summary>Which per-tensor learning-rate multiplier of <see cref="ParameterScale"/> applies (μP and mean-field differ).</summary>
    public static OptimizerKind Family(this TrainingOptimizer o) => o == TrainingOptimizer.Adam ? OptimizerKind.Adam : OptimizerKind.Sgd;

    /// <summary>Parses a name (case-insensitive).</summary>
    public static TrainingOptimizer Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "gd" or "gradient_descent" or "gradient-descent" => TrainingOptimizer.GradientDescent,
        "sgd" => TrainingOptimizer.Sgd,
        "adam" => TrainingOptimizer.Adam,
        _ => throw new ArgumentException($"unknown optimizer '{name}'; use one of {string.Join(", ", Names)}"),
    };
}
