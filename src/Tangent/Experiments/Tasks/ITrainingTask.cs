using Tangent.Linalg;
using Tangent.Specs;
using Tangent.Training;

namespace Tangent.Experiments.Tasks;

/// <summary>
/// A built-in learning task usable offline (<c>--task NAME</c>): it knows its input shape, its outputs and natural loss,
/// a default architecture, and draws its train and test sets from a seed. Add one by implementing this interface and
/// registering it in <see cref="TaskRegistry"/>.
/// </summary>
public interface ITrainingTask
{
    /// <summary>The name on the command line.</summary>
    string Name { get; }
    /// <summary>One line for help and reports.</summary>
    string Description { get; }
    /// <summary>Shape of one input example.</summary>
    TensorShape InputShape { get; }
    /// <summary>Outputs per example.</summary>
    int OutputCount { get; }
    /// <summary>The loss the task is usually trained with.</summary>
    LossKind DefaultLoss { get; }
    /// <summary>A text spec whose hidden widths come from <c>--width</c>.</summary>
    string DefaultArchitecture { get; }
    /// <summary>Training examples when the user gives none.</summary>
    int DefaultTrainCount { get; }
    /// <summary>Test examples when the user gives none.</summary>
    int DefaultTestCount { get; }
    /// <summary>The largest train + test the task can provide (int.MaxValue for generated data).</summary>
    int MaxExamples { get; }

    /// <summary>Draws the data: the same seed and counts give the same arrays on every machine.</summary>
    TaskData Generate(int trainCount, int testCount, ulong seed);
}

/// <summary>A task's data: inputs (one row per example) and targets (one row of <see cref="ITrainingTask.OutputCount"/> per example).</summary>
public sealed record TaskData(Matrix<double> XTrain, Matrix<double> YTrain, Matrix<double> XTest, Matrix<double> YTest)
{
    /// <summary>Training examples.</summary>
    public int TrainCount => XTrain.Rows;
    /// <summary>Test examples.</summary>
    public int TestCount => XTest.Rows;
}
