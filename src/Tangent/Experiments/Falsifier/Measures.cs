using Tangent.Linalg;

namespace Tangent.Experiments;

/// <summary>The measures the falsifier takes of a model's test predictions.</summary>
public static class Measures
{
    /// <summary>
    /// Fraction of rows classified correctly: the argmax over outputs against the target's argmax for one-hot targets, the
    /// sign of the single output against the target's for ±1 targets (a zero prediction counts as wrong).
    /// </summary>
    public static double Accuracy(Matrix<double> prediction, Matrix<double> target, TargetKind kind)
    {
        CheckShapes(prediction, target);
        if (kind == TargetKind.Regression) throw new ExperimentException("accuracy needs class or ±1 targets; this task is a regression (use test-loss)");
        int correct = 0;
        for (int i = 0; i < target.Rows; i++)
        {
            if (kind == TargetKind.Sign)
            {
                if (prediction[i, 0] * target[i, 0] > 0) correct++;
                continue;
            }
            if (ArgMax(prediction.Row(i)) == ArgMax(target.Row(i))) correct++;
        }
        return (double)correct / target.Rows;
    }

    /// <summary>Relative test MSE: Σ(f − y)² / Σ(y − ȳ)², with ȳ the per-output mean of the targets (1 = predicting the mean).</summary>
    public static double RelativeMse(Matrix<double> prediction, Matrix<double> target)
    {
        CheckShapes(prediction, target);
        double error = 0, spread = 0;
        for (int o = 0; o < target.Cols; o++)
        {
            double mean = 0;
            for (int i = 0; i < target.Rows; i++) mean += target[i, o];
            mean /= target.Rows;
            for (int i = 0; i < target.Rows; i++)
            {
                double e = prediction[i, o] - target[i, o], s = target[i, o] - mean;
                error += e * e;
                spread += s * s;
            }
        }
        return spread > 0 ? error / spread : error / (target.Rows * target.Cols);
    }

    /// <summary>
    /// For each frequency k, the fraction of the target's component at k that the prediction captured:
    /// 1 − ‖P_k(f − y)‖² / ‖P_k y‖², with P_k the projection onto cos(kθ), sin(kθ) over the test angles (exact on an
    /// equally spaced grid, where those functions are orthogonal). 1: learned; 0: not at all; negative: made worse.
    /// </summary>
    public static double[] CapturedPerFrequency(Matrix<double> prediction, Matrix<double> target, IReadOnlyList<double> angles, IReadOnlyList<int> frequencies)
    {
        CheckShapes(prediction, target);
        if (angles.Count != target.Rows) throw new ArgumentException("one angle per test point", nameof(angles));
        var result = new double[frequencies.Count];
        for (int f = 0; f < frequencies.Count; f++)
        {
            double ec = 0, es = 0, yc = 0, ys = 0;
            for (int i = 0; i < target.Rows; i++)
            {
                double c = Math.Cos(frequencies[f] * angles[i]), s = Math.Sin(frequencies[f] * angles[i]);
                double e = prediction[i, 0] - target[i, 0];
                ec += e * c; es += e * s; yc += target[i, 0] * c; ys += target[i, 0] * s;
            }
            double targetPower = yc * yc + ys * ys;
            result[f] = targetPower > 0 ? 1 - (ec * ec + es * es) / targetPower : double.NaN;
        }
        return result;
    }

    private static int ArgMax(ReadOnlySpan<double> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return best;
    }

    private static void CheckShapes(Matrix<double> prediction, Matrix<double> target)
    {
        if (prediction.Rows != target.Rows || prediction.Cols != target.Cols)
            throw new ArgumentException($"predictions {prediction.Rows}x{prediction.Cols} do not match targets {target.Rows}x{target.Cols}");
    }
}
