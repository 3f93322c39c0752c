using System.Globalization;
using Tangent.Dynamics;
using Tangent.Linalg;

namespace Tangent.Cli;

/// <summary>The table <c>predict</c> prints: errors and accuracy at each time.</summary>
internal static class PredictSummary
{
    public static void Print(string what, Matrix<double> yTrain, PredictionSeries train, Matrix<double>? yTest, PredictionSeries? test, IEnumerable<string> written)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(what);
        Console.WriteLine($"{train.Rows} training points{(test is null ? "" : $", {test.Rows} test points")}, {train.Cols} output{(train.Cols == 1 ? "" : "s")}");
        bool accuracy = yTest is not null && Accuracy.Applies(yTest);
        Console.WriteLine($"{"t",-12} {"train mse",12}{(yTest is null ? "" : $" {"test mse",12}")}{(accuracy ? $" {"test accuracy",14}" : "")}");
        for (int j = 0; j < train.Times.Length; j++)
        {
            string t = double.IsPositiveInfinity(train.Times[j]) ? "inf" : train.Times[j].ToString("G6", inv);
            string line = string.Create(inv, $"{t,-12} {Mse(train.Slice(j), yTrain.Data),12:G5}");
            if (yTest is not null) line += string.Create(inv, $" {Mse(test!.Slice(j), yTest.Data),12:G5}");
            if (accuracy) line += string.Create(inv, $" {Accuracy.Of(test!.Slice(j), yTest!),13:P2}");
            Console.WriteLine(line);
        }
        Console.WriteLine("wrote " + string.Join(", ", written));
    }

    private static double Mse(ReadOnlySpan<double> f, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int i = 0; i < f.Length; i++) { double d = f[i] - y[i]; s += d * d; }
        return s / f.Length;
    }
}

/// <summary>Classification accuracy of regression outputs: argmax against the target's argmax (several outputs), or sign (one output of ±1 targets).</summary>
internal static class Accuracy
{
    public static bool Applies(Matrix<double> y) => y.Cols > 1 || y.Data.All(v => v is 1 or -1);

    public static double Of(ReadOnlySpan<double> f, Matrix<double> y)
    {
        int o = y.Cols, correct = 0;
        for (int i = 0; i < y.Rows; i++)
        {
            if (o == 1) { if (Math.Sign(f[i]) == Math.Sign(y[i, 0])) correct++; continue; }
            var row = f.Slice(i * o, o);
            var target = y.Row(i);
            int best = 0, truth = 0;
            for (int c = 1; c < o; c++)
            {
                if (row[c] > row[best]) best = c;
                if (target[c] > target[truth]) truth = c;
            }
            if (best == truth) correct++;
        }
        return (double)correct / y.Rows;
    }
}
