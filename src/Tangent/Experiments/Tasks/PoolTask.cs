using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Experiments;

/// <summary>
/// A task over a fixed set of labelled examples (digits, a data file): each seed shuffles the examples and takes the
/// training pool first and the test set next, so train and test never share an example.
/// </summary>
public sealed class PoolTask : FalsifierTask
{
    private readonly Matrix<double> _x, _y;

    /// <summary>Examples <paramref name="x"/> (one per row) with targets <paramref name="y"/>.</summary>
    public PoolTask(string description, Matrix<double> x, Matrix<double> y, TargetKind targets, TensorShape inputShape)
    {
        if (x.Rows != y.Rows) throw new ExperimentException($"{description}: {x.Rows} examples but {y.Rows} targets");
        if (x.Cols != inputShape.Positions * inputShape.Channels) throw new ExperimentException($"{description}: examples have {x.Cols} numbers, the input shape {inputShape} needs {inputShape.Positions * inputShape.Channels}");
        Description = description;
        _x = x;
        _y = y;
        Targets = targets;
        InputShape = inputShape;
    }

    /// <inheritdoc/>
    public override string Description { get; }
    /// <inheritdoc/>
    public override TargetKind Targets { get; }
    /// <inheritdoc/>
    public override TensorShape InputShape { get; }
    /// <inheritdoc/>
    public override int Outputs => _y.Cols;
    /// <inheritdoc/>
    public override int? Available => _x.Rows;

    /// <inheritdoc/>
    public override TaskSample Sample(int train, int test, ulong seed)
    {
        CheckSize(train, test);
        var order = new TaskRandom(seed, "pool.shuffle").Permutation(_x.Rows);
        Matrix<double> Rows(Matrix<double> m, int start, int count)
        {
            var r = new Matrix<double>(count, m.Cols);
            for (int i = 0; i < count; i++) m.Row(order[start + i]).CopyTo(r.Row(i));
            return r;
        }
        return new TaskSample(Rows(_x, 0, train), Rows(_y, 0, train), Rows(_x, train, test), Rows(_y, train, test));
    }

    /// <summary>One-hot rows for integer labels 0..classes−1.</summary>
    public static Matrix<double> OneHot(IReadOnlyList<int> labels, int classes)
    {
        var y = new Matrix<double>(labels.Count, classes);
        for (int i = 0; i < labels.Count; i++) y[i, labels[i]] = 1;
        return y;
    }
}
