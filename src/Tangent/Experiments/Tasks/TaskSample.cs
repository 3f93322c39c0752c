using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Experiments;

/// <summary>What a task's targets are, which decides the measures that make sense.</summary>
public enum TargetKind
{
    /// <summary>Real-valued targets: test loss, no accuracy.</summary>
    Regression,
    /// <summary>One output in {−1, +1}: accuracy is the sign's agreement (sparse parity).</summary>
    Sign,
    /// <summary>One-hot targets over classes: accuracy is the argmax's agreement.</summary>
    Classes,
}

/// <summary>
/// One seed's sample of a task: a training pool (the models train on its first n rows, so the sets are nested across n)
/// and a test set. Inputs are one example per row (images in HWC order); targets one row of outputs per example.
/// </summary>
/// <param name="XTrain">Training inputs, the largest n rows.</param>
/// <param name="YTrain">Training targets (noise included when the task adds it).</param>
/// <param name="XTest">Test inputs.</param>
/// <param name="YTest">Test targets (noise-free).</param>
/// <param name="TestAngles">For <c>spectral-bias</c>: the angle of every test point on the circle, else null.</param>
public sealed record TaskSample(Matrix<double> XTrain, Matrix<double> YTrain, Matrix<double> XTest, Matrix<double> YTest, double[]? TestAngles = null)
{
    /// <summary>The first <paramref name="n"/> training examples (a copy).</summary>
    public (Matrix<double> X, Matrix<double> Y) Train(int n) => (FirstRows(XTrain, n), FirstRows(YTrain, n));

    /// <summary>The first <paramref name="n"/> rows of <paramref name="m"/> (a copy).</summary>
    public static Matrix<double> FirstRows(Matrix<double> m, int n)
    {
        var r = new Matrix<double>(n, m.Cols);
        m.Data.AsSpan(0, n * m.Cols).CopyTo(r.Data);
        return r;
    }
}

/// <summary>
/// A supervised learning task for the falsifier: it draws, per seed, training and test examples. Built-in tasks generate
/// their data (and run offline); file tasks shuffle a data file's examples with the seed.
/// </summary>
public abstract class FalsifierTask
{
    /// <summary>A one-line description with the parameters (for reports).</summary>
    public abstract string Description { get; }
    /// <summary>What the targets are.</summary>
    public abstract TargetKind Targets { get; }
    /// <summary>Shape of one input example (flat d, or H x W x C images).</summary>
    public abstract TensorShape InputShape { get; }
    /// <summary>Outputs per example.</summary>
    public abstract int Outputs { get; }
    /// <summary>How many examples the task can give in all (train + test); null: unlimited.</summary>
    public virtual int? Available => null;
    /// <summary>The frequencies of the target's components, for the spectral-bias measure; null when the task has none.</summary>
    public virtual IReadOnlyList<int>? Frequencies => null;

    /// <summary>Draws <paramref name="train"/> training and <paramref name="test"/> test examples for <paramref name="seed"/>.</summary>
    public abstract TaskSample Sample(int train, int test, ulong seed);

    /// <summary>Throws <see cref="ExperimentException"/> when the task cannot give <paramref name="train"/> + <paramref name="test"/> examples.</summary>
    public void CheckSize(int train, int test)
    {
        if (Available is { } a && train + test > a)
            throw new ExperimentException($"task {Description}: has {a} examples, but the largest training set ({train}) and the test set ({test}) need {train + test}; lower train_sizes or test_size");
    }
}
