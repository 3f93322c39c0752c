using Tangent.Linalg;

namespace Tangent.Dynamics;

/// <summary>
/// Values at a list of times: a [T, Rows, Cols] array in C order, e.g. predictions [T, N, O] or covariances [T, M, M].
/// </summary>
public sealed class PredictionSeries
{
    /// <summary>Wraps <paramref name="data"/> (not copied), of length times.Length · rows · cols.</summary>
    public PredictionSeries(double[] times, int rows, int cols, double[] data)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(data);
        if ((long)times.Length * rows * cols != data.Length)
            throw new ArgumentException($"data has {data.Length} values, expected {times.Length}x{rows}x{cols}", nameof(data));
        Times = times;
        Rows = rows;
        Cols = cols;
        Data = data;
    }

    /// <summary>The times (or step counts), <see cref="double.PositiveInfinity"/> for infinity.</summary>
    public double[] Times { get; }

    /// <summary>Rows of each time slice (points).</summary>
    public int Rows { get; }

    /// <summary>Columns of each time slice (outputs, or points for covariances).</summary>
    public int Cols { get; }

    /// <summary>All values, C order [T, Rows, Cols].</summary>
    public double[] Data { get; }

    /// <summary>The shape [T, Rows, Cols] (for .npy files).</summary>
    public int[] Shape => [Times.Length, Rows, Cols];

    /// <summary>The slice at time index <paramref name="index"/>, as a span into <see cref="Data"/>.</summary>
    public Span<double> Slice(int index) => Data.AsSpan(checked(index * Rows * Cols), Rows * Cols);

    /// <summary>The slice at time index <paramref name="index"/>, as a new matrix.</summary>
    public Matrix<double> At(int index) => new(Rows, Cols, Slice(index).ToArray());
}

/// <summary>Predictions of a training run on the training points and, when test points were given, on those.</summary>
/// <param name="Train">[T, N, O] outputs on the training points.</param>
/// <param name="Test">[T, M, O] outputs on the test points, or null.</param>
public sealed record TrainingPrediction(PredictionSeries Train, PredictionSeries? Test);
