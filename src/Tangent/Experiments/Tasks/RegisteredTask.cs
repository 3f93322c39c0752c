using Tangent.Experiments.Tasks;
using Tangent.Specs;
using Tangent.Training;

namespace Tangent.Experiments;

/// <summary>
/// A trainer task (<see cref="ITrainingTask"/>, from <see cref="TaskRegistry"/>) seen by the falsifier. Its targets are
/// classes when the task trains with cross-entropy or gives several outputs whose rows each have one largest entry
/// (one-hot, possibly shifted), ±1 signs when every target is ±1, and regression otherwise, judged on a small draw.
/// </summary>
public sealed class RegisteredTask : FalsifierTask
{
    private readonly ITrainingTask _task;

    /// <summary>Wraps <paramref name="task"/>.</summary>
    public RegisteredTask(ITrainingTask task)
    {
        _task = task ?? throw new ArgumentNullException(nameof(task));
        var probe = task.Generate(Math.Min(16, Math.Max(1, task.MaxExamples / 2)), 1, 0);
        var y = probe.YTrain;
        if (task.DefaultLoss == LossKind.CrossEntropy || y.Cols > 1 && y.Data.Distinct().Count() == 2) Targets = TargetKind.Classes;
        else if (y.Cols == 1 && y.Data.All(v => v is 1 or -1)) Targets = TargetKind.Sign;
        else Targets = TargetKind.Regression;
    }

    /// <inheritdoc/>
    public override string Description => $"{_task.Name} ({_task.Description})";
    /// <inheritdoc/>
    public override TargetKind Targets { get; }
    /// <inheritdoc/>
    public override TensorShape InputShape => _task.InputShape;
    /// <inheritdoc/>
    public override int Outputs => _task.OutputCount;
    /// <inheritdoc/>
    public override int? Available => _task.MaxExamples == int.MaxValue ? null : _task.MaxExamples;

    /// <inheritdoc/>
    public override TaskSample Sample(int train, int test, ulong seed)
    {
        CheckSize(train, test);
        var d = _task.Generate(train, test, seed);
        return new TaskSample(d.XTrain, d.YTrain, d.XTest, d.YTest);
    }
}

/// <summary>A falsifier task with default parameters as a trainer task, so <c>tangent train --task sparse-parity</c> works too.</summary>
public sealed class FalsifierTrainingTask : ITrainingTask
{
    private readonly FalsifierTask _task;

    /// <summary>Registers <paramref name="task"/> under <paramref name="name"/>.</summary>
    public FalsifierTrainingTask(string name, FalsifierTask task)
    {
        Name = name;
        _task = task;
    }

    /// <inheritdoc/>
    public string Name { get; }
    /// <inheritdoc/>
    public string Description => _task.Description;
    /// <inheritdoc/>
    public TensorShape InputShape => _task.InputShape;
    /// <inheritdoc/>
    public int OutputCount => _task.Outputs;
    /// <inheritdoc/>
    public LossKind DefaultLoss => LossKind.Mse;
    /// <inheritdoc/>
    public string DefaultArchitecture => Experiment.DefaultArchitecture;
    /// <inheritdoc/>
    public int DefaultTrainCount => 256;
    /// <inheritdoc/>
    public int DefaultTestCount => 512;
    /// <inheritdoc/>
    public int MaxExamples => _task.Available ?? int.MaxValue;

    /// <inheritdoc/>
    public TaskData Generate(int trainCount, int testCount, ulong seed)
    {
        var s = _task.Sample(trainCount, testCount, seed);
        return new TaskData(s.XTrain, s.YTrain, s.XTest, s.YTest);
    }
}
