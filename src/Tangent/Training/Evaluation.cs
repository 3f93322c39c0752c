using System.Numerics;
using Tangent.Linalg;

namespace Tangent.Training;

/// <summary>Loss and accuracy of a model on a data set.</summary>
/// <param name="Loss">The mean loss (the training loss's convention).</param>
/// <param name="Accuracy">Fraction of rows whose arg-max output matches the arg-max target (one output: matching signs).</param>
public readonly record struct EvaluationResult(double Loss, double Accuracy);

/// <summary>Evaluates models and outputs.</summary>
public static class Evaluation
{
    /// <summary>Predicts on <paramref name="x"/> and scores against <paramref name="y"/>.</summary>
    public static EvaluationResult Evaluate<T>(ITrainableModel<T> model, Matrix<T> x, Matrix<T> y, LossKind loss) where T : unmanaged, IFloatingPointIeee754<T> =>
        Score(ToDouble(model.Predict(x)), ToDouble(y), loss);

    /// <summary>Scores outputs <paramref name="f"/> against targets <paramref name="y"/> (same shape).</summary>
    public static EvaluationResult Score(Matrix<double> f, Matrix<double> y, LossKind loss)
    {
        if (f.Rows != y.Rows || f.Cols != y.Cols) throw new ArgumentException($"outputs are {f.Rows}x{f.Cols}, targets {y.Rows}x{y.Cols}");
        return new(loss.Function().Value(f.Data, y.Data, f.Cols), Accuracy(f, y));
    }

    /// <summary>Fraction of rows whose arg-max output equals the arg-max target; with one output, sign agreement.</summary>
    public static double Accuracy(Matrix<double> f, Matrix<double> y)
    {
        if (f.Rows == 0) return double.NaN;
        int hits = 0;
        for (int i = 0; i < f.Rows; i++)
        {
            if (f.Cols == 1) { if (Math.Sign(f[i, 0]) == Math.Sign(y[i, 0])) hits++; continue; }
            if (ArgMax(f.Row(i)) == ArgMax(y.Row(i))) hits++;
        }
        return (double)hits / f.Rows;
    }

    /// <summary>The matrix in float64.</summary>
    public static Matrix<double> ToDouble<T>(Matrix<T> m) where T : unmanaged, IFloatingPointIeee754<T> =>
        m is Matrix<double> d ? d : new Matrix<double>(m.Rows, m.Cols, m.Data.Select(v => double.CreateTruncating(v)).ToArray());

    private static int ArgMax(ReadOnlySpan<double> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return best;
    }
}
