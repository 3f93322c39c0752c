using System.Numerics;
using Tangent.Linalg;

namespace Tangent.Training;

/// <summary>
/// Trains one <see cref="ITrainableModel{T}"/> on (x, y) with the optimiser, batches, schedule and loss of
/// <see cref="TrainerOptions"/>. Step k uses the rate η·schedule(k)/α² (α: the model's output scale, 1 when unset) and
/// the mean loss over its batch. Mini-batches are epochs of a seeded permutation, so two trainers with equal
/// <see cref="TrainerOptions.BatchSeed"/> on the same data (a network and its linearisation) see the same batches.
/// </summary>
public sealed class Trainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _x, _y;
    private readonly double[] _targets;
    private readonly Optimizer<T> _optimizer;
    private readonly Random _batchRandom;
    private readonly int _batchSize;
    private int[] _order;
    private int _cursor;

    /// <summary>Sets up training of <paramref name="model"/> on inputs <paramref name="x"/> (N rows) and targets <paramref name="y"/> (N x O).</summary>
    /// <exception cref="ArgumentException">Shapes disagree or an option is out of range.</exception>
    public Trainer(ITrainableModel<T> model, Matrix<T> x, Matrix<T> y, TrainerOptions? options = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Options = options ?? new TrainerOptions();
        Options.Validate();
        if (x.Rows != y.Rows) throw new ArgumentException($"{x.Rows} inputs but {y.Rows} targets");
        if (y.Cols != model.OutputCount) throw new ArgumentException($"the targets have {y.Cols} columns, the model {model.OutputCount} outputs");
        if (x.Rows == 0) throw new ArgumentException("no training examples");
        _x = x;
        _y = y;
        _targets = y.Data.Select(v => double.CreateTruncating(v)).ToArray();
        _optimizer = Optimizer<T>.Create(Options);
        _batchSize = Options.Optimizer == TrainingOptimizer.GradientDescent || Options.BatchSize <= 0 || Options.BatchSize >= x.Rows ? x.Rows : Options.BatchSize;
        _batchRandom = new Random(unchecked((int)(Options.BatchSeed ^ (Options.BatchSeed >> 32)) ^ 0x5bd1e995));
        _order = Enumerable.Range(0, x.Rows).ToArray();
    }

    /// <summary>The trained model.</summary>
    public ITrainableModel<T> Model { get; }
    /// <summary>The options.</summary>
    public TrainerOptions Options { get; }
    /// <summary>Steps taken so far.</summary>
    public int StepsDone { get; private set; }
    /// <summary>Examples per step.</summary>
    public int BatchSize => _batchSize;

    /// <summary>The learning rate of step <paramref name="step"/>: η·schedule/α².</summary>
    public double LearningRateAt(int step)
    {
        double alpha = Model.OutputScale ?? 1;
        return Options.LearningRate * Options.Schedule.Factor(step, Options.Steps) / (alpha * alpha);
    }

    /// <summary>Takes one optimiser step; returns the batch loss before it.</summary>
    public double Step()
    {
        var (bx, by) = NextBatch();
        var f = Model.Forward(bx);
        var loss = Options.Loss.Function();
        var fd = f.Data.Select(v => double.CreateTruncating(v)).ToArray();
        double value = loss.Value(fd, by, f.Cols);
        var grad = new double[fd.Length];
        loss.Gradient(fd, by, f.Cols, grad);
        var cotangents = new Matrix<T>(f.Rows, f.Cols, grad.Select(T.CreateTruncating).ToArray());
        Model.Backward(bx, cotangents);
        _optimizer.Step(Model.Parameters, Model.Gradients, LearningRateAt(StepsDone));
        StepsDone++;
        return value;
    }

    /// <summary>
    /// Runs until <see cref="TrainerOptions.Steps"/> steps are done, calling <paramref name="observer"/> before the
    /// steps listed in <paramref name="observeAt"/> (step 0 is the initial model; <see cref="TrainerOptions.Steps"/> the final one).
    /// </summary>
    public void Run(IEnumerable<int>? observeAt = null, Action<TrainingObservation<T>>? observer = null)
    {
        var at = new SortedSet<int>(observeAt ?? []);
        double last = double.NaN;
        while (true)
        {
            if (observer is not null && at.Contains(StepsDone)) observer(new TrainingObservation<T>(StepsDone, Model, last));
            if (StepsDone >= Options.Steps) break;
            last = Step();
        }
    }

    /// <summary>Loss and accuracy of the model on (<paramref name="x"/>, <paramref name="y"/>) (see <see cref="Evaluation"/>).</summary>
    public EvaluationResult Evaluate(Matrix<T> x, Matrix<T> y) => Evaluation.Evaluate(Model, x, y, Options.Loss);

    private (Matrix<T> X, double[] Y) NextBatch()
    {
        int n = _x.Rows;
        if (_batchSize == n) return (_x, _targets);
        if (_cursor + _batchSize > n || StepsDone == 0 && _cursor == 0)
        {
            // A fresh permutation each epoch (Fisher–Yates on a seeded generator: the same batches on every machine).
            for (int i = n - 1; i > 0; i--) { int j = _batchRandom.Next(i + 1); (_order[i], _order[j]) = (_order[j], _order[i]); }
            _cursor = 0;
        }
        int d = _x.Cols, o = _y.Cols;
        var bx = new Matrix<T>(_batchSize, d);
        var by = new double[_batchSize * o];
        for (int r = 0; r < _batchSize; r++)
        {
            int src = _order[_cursor + r];
            _x.Row(src).CopyTo(bx.Row(r));
            Array.Copy(_targets, src * o, by, r * o, o);
        }
        _cursor += _batchSize;
        return (bx, by);
    }
}

/// <summary>What an observer of <see cref="Trainer{T}.Run"/> sees: the step count, the model, and the loss of the latest batch (NaN before the first).</summary>
public sealed record TrainingObservation<T>(int Step, ITrainableModel<T> Model, double LastBatchLoss) where T : unmanaged, IFloatingPointIeee754<T>;
