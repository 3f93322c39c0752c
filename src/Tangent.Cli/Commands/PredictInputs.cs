using System.CommandLine;
using Tangent.Dynamics;
using Tangent.IO;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Cli;

/// <summary>Reading and checking <c>predict</c>'s and <c>spectrum</c>'s inputs.</summary>
internal static class PredictInputs
{
    /// <summary>A 2-D array file (a kernel).</summary>
    public static Matrix<double> Kernel(string path, string option)
    {
        var a = InputFiles.ReadFinite(path, option);
        if (a.Shape.Length != 2) throw new DataFormatException($"{path} ({option}): a kernel must be a 2-d array, got shape [{string.Join(", ", a.Shape)}]");
        return InputFiles.ToMatrix<double>(a);
    }

    /// <summary>Targets or outputs: N x O, or a vector of N (one output).</summary>
    public static Matrix<double> Targets(string path, string option)
    {
        var a = InputFiles.ReadFinite(path, option);
        if (a.Shape.Length > 2) throw new DataFormatException($"{path} ({option}): expected N x O or a vector of N, got shape [{string.Join(", ", a.Shape)}]");
        return InputFiles.ToMatrix<double>(a);
    }

    /// <summary>Inputs, one example per row, and the shape of one example (flat, L x C or H x W x C).</summary>
    public static (Matrix<double> X, TensorShape Shape) Inputs(string path, string option)
    {
        var a = InputFiles.ReadFinite(path, option);
        if (a.Shape.Length > 4) throw new DataFormatException($"{path} ({option}): inputs must be N x d, N x L x C or N x H x W x C, got shape [{string.Join(", ", a.Shape)}]");
        return (InputFiles.ToMatrix<double>(a), InputFiles.ExampleShape(a));
    }

    /// <summary>--t or --steps (not both); default t = ∞.</summary>
    public static TrainingTimes Schedule(string? times, string? steps, double momentum, bool momentumGiven)
    {
        if (times is not null && steps is not null) throw new UsageException("give --t (gradient flow) or --steps (discrete gradient descent), not both");
        if (momentumGiven && steps is null) throw new UsageException("--momentum applies to discrete steps: give --steps");
        if (steps is not null) return TrainingTimes.Steps(TrainingTimes.ParseList(steps, "--steps"), momentum);
        return TrainingTimes.Continuous(times is null ? [double.PositiveInfinity] : TrainingTimes.ParseList(times, "--t"));
    }

    /// <summary>Fails when an option of the other form was given.</summary>
    public static void Reject(ParseResult p, string form, params (Option<string?> Option, string Name)[] options)
    {
        foreach (var (option, name) in options)
            if (p.GetValue(option) is not null) throw new UsageException($"{name} does not apply to the {form}");
    }

    /// <summary>As <see cref="Reject(ParseResult, string, ValueTuple{Option{string}, string}[])"/> for flags.</summary>
    public static void Reject(ParseResult p, string form, (Option<string?> Option, string Name) a, (Option<string?> Option, string Name) b, (Option<bool> Option, string Name) flag)
    {
        Reject(p, form, a, b);
        if (p.GetValue(flag.Option)) throw new UsageException($"{flag.Name} does not apply to the {form}");
    }
}
