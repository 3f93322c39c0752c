using System.CommandLine;
using Tangent.Experiments;
using Tangent.IO;

namespace Tangent.Cli;

/// <summary><c>tangent data digits --out DIR</c>: exports the built-in digits as array files for the other commands.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "directory to write x_train.npy, y_train.npy, x_test.npy, y_test.npy, labels_train.npy, labels_test.npy", Required = true };
        var train = new Option<int>("--train") { Description = "images in the training split (the first ones); the rest are the test split", DefaultValueFactory = _ => 1000 };
        var digits = new Command("digits", "The 1797 8x8 digits (pixels scaled to [0, 1], as in 'tangent demo'), split into train and test, with one-hot targets.") { output, train };
        digits.SetAction(p =>
        {
            int nTrain = p.GetValue(train);
            if (nTrain < 1 || nTrain >= Digits.Count) throw new UsageException($"--train must be between 1 and {Digits.Count - 1}, got {nTrain}");
            string dir = p.GetValue(output)!;
            if (File.Exists(dir)) throw new UsageException($"--out {dir}: is a file; give a directory");
            var (x, labels) = DigitsDemo.Data();
            int d = x.Cols, nTest = x.Rows - nTrain;
            const int Classes = 10;
            var oneHot = new double[x.Rows * Classes];
            for (int i = 0; i < x.Rows; i++) oneHot[i * Classes + labels[i]] = 1;
            var labelValues = labels.Select(l => (double)l).ToArray();
            ArrayFile.Write(Path.Combine(dir, "x_train.npy"), x.Data.AsSpan(0, nTrain * d), [nTrain, d]);
            ArrayFile.Write(Path.Combine(dir, "x_test.npy"), x.Data.AsSpan(nTrain * d), [nTest, d]);
            ArrayFile.Write(Path.Combine(dir, "y_train.npy"), oneHot.AsSpan(0, nTrain * Classes), [nTrain, Classes]);
            ArrayFile.Write(Path.Combine(dir, "y_test.npy"), oneHot.AsSpan(nTrain * Classes), [nTest, Classes]);
            ArrayFile.Write(Path.Combine(dir, "labels_train.npy"), labelValues.AsSpan(0, nTrain), [nTrain]);
            ArrayFile.Write(Path.Combine(dir, "labels_test.npy"), labelValues.AsSpan(nTrain), [nTest]);
            Console.WriteLine($"wrote digits to {dir}: x_train.npy [{nTrain}, {d}], y_train.npy [{nTrain}, {Classes}] (one-hot), x_test.npy [{nTest}, {d}], y_test.npy [{nTest}, {Classes}], labels_train.npy, labels_test.npy");
            return CliApp.Ok;
        });
        return new Command("data", "Export built-in data sets as .npy files.") { digits };
    }
}
