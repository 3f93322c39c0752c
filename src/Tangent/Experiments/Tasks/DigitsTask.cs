using Tangent.IO;
using Tangent.Linalg;
using Tangent.Specs;
using Tangent.Training;

namespace Tangent.Experiments.Tasks;

/// <summary>
/// The shipped sklearn digits (1797 images, 8 x 8, ten classes): pixels scaled to [0, 1] and centred on the mean image,
/// one-hot targets (usable by MSE and by cross-entropy, which needs non-negative class weights); a seeded permutation
/// picks disjoint train and test sets.
/// </summary>
public sealed class DigitsTask : ITrainingTask
{
    /// <inheritdoc />
    public string Name => "digits";
    /// <inheritdoc />
    public string Description => "the shipped 8x8 digits, ten classes, one-hot targets";
    /// <inheritdoc />
    public TensorShape InputShape => TensorShape.Flat(Digits.Pixels);
    /// <inheritdoc />
    public int OutputCount => 10;
    /// <inheritdoc />
    public LossKind DefaultLoss => LossKind.Mse;
    /// <inheritdoc />
    public string DefaultArchitecture => "dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense(w=1,n=10)";
    /// <inheritdoc />
    public int DefaultTrainCount => 512;
    /// <inheritdoc />
    public int DefaultTestCount => 512;
    /// <inheritdoc />
    public int MaxExamples => Digits.Count;

    /// <inheritdoc />
    public TaskData Generate(int trainCount, int testCount, ulong seed)
    {
        if (trainCount + testCount > Digits.Count)
            throw new ArgumentException($"digits has {Digits.Count} images; {trainCount} train + {testCount} test is too many");
        var (images, labels) = Digits.Load();
        int d = Digits.Pixels, n = Digits.Count;
        var mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += images[i * d + j] / 16.0 / n;
        var order = Enumerable.Range(0, n).ToArray();
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32)) ^ 0x2545F491));
        for (int i = n - 1; i > 0; i--) { int j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
        int total = trainCount + testCount;
        var x = new Matrix<double>(total, d);
        var y = new Matrix<double>(total, 10);
        for (int r = 0; r < total; r++)
        {
            int src = order[r];
            for (int j = 0; j < d; j++) x[r, j] = images[src * d + j] / 16.0 - mean[j];
            for (int c = 0; c < 10; c++) y[r, c] = c == labels[src] ? 1 : 0;
        }
        return TaskSplit.Split(x, y, trainCount);
    }
}

/// <summary>Splits stacked rows into the first <c>train</c> and the rest.</summary>
internal static class TaskSplit
{
    public static TaskData Split(Matrix<double> x, Matrix<double> y, int train)
    {
        int test = x.Rows - train;
        Matrix<double> Rows(Matrix<double> m, int start, int count) => new(count, m.Cols, m.Data.AsSpan(start * m.Cols, count * m.Cols).ToArray());
        return new TaskData(Rows(x, 0, train), Rows(y, 0, train), Rows(x, train, test), Rows(y, train, test));
    }
}
