using Tangent.Dynamics.Losses;

namespace Tangent.Training;

/// <summary>The training losses (<c>--loss</c>).</summary>
public enum LossKind
{
    /// <summary>½ · mean over the N·O targets of (f − y)²: the convention of the closed-form dynamics (<c>tangent predict</c>).</summary>
    Mse,
    /// <summary>Softmax cross-entropy averaged over examples, targets one-hot (or class weights).</summary>
    CrossEntropy,
}

/// <summary>Names and implementations of <see cref="LossKind"/>.</summary>
public static class LossKinds
{
    /// <summary>Command-line names: mse, cross_entropy.</summary>
    public static readonly string[] Names = ["mse", "cross_entropy"];

    /// <summary>The function-space loss (shared with the closed-form and ODE dynamics, so both sides use one definition).</summary>
    public static IFunctionSpaceLoss Function(this LossKind kind) =>
        kind == LossKind.Mse ? MeanSquaredErrorLoss.Instance : SoftmaxCrossEntropyLoss.Instance;

    /// <summary>The command-line name.</summary>
    public static string Name(this LossKind kind) => Names[(int)kind];

    /// <summary>Parses a name (case-insensitive; '-' and '_' alike; "xent" and "ce" accepted).</summary>
    public static LossKind Parse(string name) => name.Trim().ToLowerInvariant().Replace('-', '_') switch
    {
        "mse" => LossKind.Mse,
        "cross_entropy" or "crossentropy" or "xent" or "ce" => LossKind.CrossEntropy,
        _ => throw new ArgumentException($"unknown loss '{name}'; use one of {string.Join(", ", Names)}"),
    };
}
