using Tangent.Experiments.Tasks;
using Tangent.Linalg;
using Tangent.Training;

namespace Tangent.Experiments.Mup;

/// <summary>
/// The data and loss the μP experiments train on: a built-in task of <see cref="TaskRegistry"/> (<c>digits</c>,
/// <c>teacher</c>), its training split only (the experiments measure training dynamics and training loss).
/// </summary>
/// <param name="Name">The task's name on the command line.</param>
/// <param name="X">Inputs, one example per row.</param>
/// <param name="Y">Targets, one row per example (one-hot for cross-entropy).</param>
/// <param name="Loss">The training loss.</param>
public sealed record MupTask(string Name, Matrix<double> X, Matrix<double> Y, LossKind Loss)
{
    /// <summary>Names of the tasks that can be loaded.</summary>
    public static IReadOnlyList<string> Names => TaskRegistry.Names;

    /// <summary>
    /// Loads task <paramref name="name"/> drawn with <paramref name="seed"/>: every example the task has (digits: all
    /// 1797; generated tasks: their default training count). <paramref name="loss"/> null picks cross-entropy for tasks
    /// with several outputs (classification) and MSE for one output. For cross-entropy the targets become the one-hot
    /// vectors of their largest entry (digits' centred targets e_c − 0.1 are not class weights). Throws
    /// <see cref="ArgumentException"/> for an unknown task or cross-entropy on one output.
    /// </summary>
    public static MupTask Load(string name, ulong seed = 0, LossKind? loss = null)
    {
        var task = TaskRegistry.Get(name);
        int count = task.MaxExamples == int.MaxValue ? task.DefaultTrainCount : task.MaxExamples;
        var data = task.Generate(count, 0, seed);
        var kind = loss ?? (task.OutputCount > 1 ? LossKind.CrossEntropy : LossKind.Mse);
        var y = data.YTrain;
        if (kind == LossKind.CrossEntropy)
        {
            if (y.Cols < 2) throw new ArgumentException($"task '{task.Name}' has one output; cross-entropy needs classes, use mse");
            y = OneHot(y);
        }
        return new MupTask(task.Name, data.XTrain, y, kind);
    }

    /// <summary>The default network for this task: <see cref="MupRuns.DefaultArchitecture"/> with one output per target column.</summary>
    public string DefaultArchitecture => MupRuns.Architecture(Y.Cols);

    /// <summary>The first <paramref name="rows"/> examples' inputs (the coordinate check's fixed probe batch).</summary>
    public Matrix<double> FirstInputs(int rows)
    {
        rows = Math.Min(rows, X.Rows);
        return new Matrix<double>(rows, X.Cols, X.Data.AsSpan(0, rows * X.Cols).ToArray());
    }

    private static Matrix<double> OneHot(Matrix<double> y)
    {
        var oneHot = new Matrix<double>(y.Rows, y.Cols);
        for (int i = 0; i < y.Rows; i++)
        {
            var row = y.Row(i);
            int best = 0;
            for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
            oneHot[i, best] = 1;
        }
        return oneHot;
    }
}
