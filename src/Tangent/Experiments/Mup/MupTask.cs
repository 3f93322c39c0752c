using Tangent.Linalg;
using Tangent.Training;

namespace Tangent.Experiments.Mup;

/// <summary>A data set and loss the μP experiments train on.</summary>
/// <param name="Name">The task's name on the command line.</param>
/// <param name="X">Inputs, one example per row.</param>
/// <param name="Y">Targets, one row per example (one-hot for classification).</param>
/// <param name="Loss">The training loss.</param>
public sealed record MupTask(string Name, Matrix<double> X, Matrix<double> Y, LossKind Loss)
{
    /// <summary>Names of the built-in tasks.</summary>
    public static readonly string[] Names = ["digits"];

    /// <summary>The built-in task called <paramref name="name"/>; throws <see cref="ArgumentException"/> for an unknown name.</summary>
    public static MupTask Load(string name) => name.Trim().ToLowerInvariant() switch
    {
        "digits" => Digits(),
        _ => throw new ArgumentException($"unknown task '{name}'; use one of {string.Join(", ", Names)}"),
    };

    /// <summary>
    /// The 1797 built-in 8x8 digits, ten-way softmax cross-entropy. Pixels are centred per pixel and divided by one
    /// overall standard deviation, so input coordinates are O(1), as μP's input-layer rule assumes.
    /// </summary>
    public static MupTask Digits()
    {
        var (images, labels) = IO.Digits.Load();
        int n = IO.Digits.Count, d = IO.Digits.Pixels;
        var mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += images[i * d + j] / n;
        double squares = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) squares += Math.Pow(images[i * d + j] - mean[j], 2);
        double std = Math.Sqrt(squares / (n * d));
        var x = new Matrix<double>(n, d);
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) x[i, j] = (images[i * d + j] - mean[j]) / std;
        var y = new Matrix<double>(n, 10);
        for (int i = 0; i < n; i++) y[i, labels[i]] = 1;
        return new MupTask("digits", x, y, LossKind.CrossEntropy);
    }

    /// <summary>The first <paramref name="rows"/> examples' inputs (the coordinate check's fixed probe batch).</summary>
    public Matrix<double> FirstInputs(int rows)
    {
        rows = Math.Min(rows, X.Rows);
        return new Matrix<double>(rows, X.Cols, X.Data.AsSpan(0, rows * X.Cols).ToArray());
    }
}
