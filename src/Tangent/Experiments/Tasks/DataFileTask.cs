using Tangent.IO;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Experiments;

/// <summary>
/// Tasks from data files: <c>.npy</c> or <c>.csv</c> (one example per row; the targets are the last column unless a
/// targets file is given), IDX images (MNIST; the labels are read from the matching <c>labels-idx1</c> file next to it)
/// and CIFAR-10 binary batches (labels inside). Integer targets with at most <see cref="MaxClasses"/> distinct values
/// 0..C−1 are classes (one-hot outputs); targets all ±1 are signs; anything else is regression. Images are scaled to
/// [0, 1] by the largest value; other inputs are standardised per feature (statistics of the whole file: no labels used).
/// </summary>
public static class DataFileTask
{
    /// <summary>The largest number of classes recognised in integer targets.</summary>
    public const int MaxClasses = 100;

    /// <summary>Reads <paramref name="path"/> (and <paramref name="targetsPath"/>); images keep their H x W x C shape when <paramref name="images"/>.</summary>
    public static PoolTask Load(string path, string? targetsPath, bool images)
    {
        NdArray x;
        double[] targets;
        int targetColumns = 1;
        string name = Path.GetFileName(path);
        if (Cifar10.LooksLikeCifar(path) && targetsPath is null)
        {
            var (imagesArray, labels) = Cifar10.ReadWithLabels(path);
            x = imagesArray;
            targets = labels.Select(l => (double)l).ToArray();
        }
        else
        {
            x = ArrayFile.Read(path);
            if (x.Shape.Length == 0 || x.Rows == 0) throw new DataFormatException($"{path}: no examples");
            if (targetsPath is not null)
            {
                var t = ArrayFile.Read(targetsPath);
                if (t.Rows != x.Rows) throw new DataFormatException($"{targetsPath}: {t.Rows} targets for {x.Rows} examples in {path}");
                targets = t.Data;
                targetColumns = t.Shape.Length <= 1 ? 1 : t.RowLength;
            }
            else if (Idx.LooksLikeIdx(path))
            {
                string labelsPath = LabelsFileFor(path);
                var t = Idx.Read(labelsPath);
                if (t.Rows != x.Rows) throw new DataFormatException($"{labelsPath}: {t.Rows} labels for {x.Rows} images in {path}");
                targets = t.Data;
            }
            else
            {
                if (x.Shape.Length != 2 || x.Shape[1] < 2)
                    throw new DataFormatException($"{path}: without a targets file the data must be a table (N x d+1) whose last column is the target; got shape {ShapeText.Format(x.Shape)}");
                int cols = x.Shape[1];
                targets = new double[x.Rows];
                var features = new double[x.Rows * (cols - 1)];
                for (int r = 0; r < x.Rows; r++)
                {
                    targets[r] = x.Data[r * cols + cols - 1];
                    Array.Copy(x.Data, r * cols, features, r * (cols - 1), cols - 1);
                }
                x = new NdArray([x.Rows, cols - 1], features, x.SourceType);
            }
        }
        x.EnsureFinite(path);
        foreach (double v in targets) if (!double.IsFinite(v)) throw new DataFormatException($"{targetsPath ?? path}: a target is NaN or infinite");

        bool isImage = x.Shape.Length >= 3;
        var shape = images && isImage
            ? x.Shape.Length == 3 ? new TensorShape([x.Shape[1], x.Shape[2]], 1) : new TensorShape([x.Shape[1], x.Shape[2]], x.Shape[3])
            : TensorShape.Flat(x.RowLength);
        var matrix = new Matrix<double>(x.Rows, x.RowLength, (double[])x.Data.Clone());
        if (isImage) ScaleToUnit(matrix); else Standardise(matrix);

        var (y, kind, what) = Targets(targets, x.Rows, targetColumns);
        return new PoolTask($"{name} ({x.Rows} examples, {what})", matrix, y, kind, shape);
    }

    /// <summary>The labels file of an IDX images file: <c>...-images-idx3-ubyte</c> → <c>...-labels-idx1-ubyte</c> (gzip kept).</summary>
    public static string LabelsFileFor(string imagesPath)
    {
        string dir = Path.GetDirectoryName(imagesPath) ?? "";
        string file = Path.GetFileName(imagesPath);
        string labels = file.Replace("images-idx3", "labels-idx1", StringComparison.OrdinalIgnoreCase)
                            .Replace("images.idx3", "labels.idx1", StringComparison.OrdinalIgnoreCase);
        if (labels == file) throw new DataFormatException($"{imagesPath}: cannot tell the labels file of these IDX images; name it with --targets");
        string full = Path.Combine(dir, labels);
        if (!File.Exists(full)) throw new DataFormatException($"{full}: no such labels file for {file}; give the labels with --targets");
        return full;
    }

    private static (Matrix<double> Y, TargetKind Kind, string What) Targets(double[] t, int n, int columns)
    {
        if (columns > 1) return (new Matrix<double>(n, columns, (double[])t.Clone()), TargetKind.Regression, $"{columns} regression targets");
        bool integers = t.All(v => v == Math.Floor(v) && v >= 0 && v < MaxClasses);
        if (integers)
        {
            int classes = (int)t.Max() + 1;
            if (classes >= 2 && t.Distinct().Count() <= MaxClasses)
                return (PoolTask.OneHot(t.Select(v => (int)v).ToArray(), classes), TargetKind.Classes, $"{classes} classes");
        }
        if (t.All(v => v is 1 or -1)) return (new Matrix<double>(n, 1, (double[])t.Clone()), TargetKind.Sign, "±1 targets");
        return (new Matrix<double>(n, 1, (double[])t.Clone()), TargetKind.Regression, "regression");
    }

    private static void ScaleToUnit(Matrix<double> x)
    {
        double max = 0;
        foreach (double v in x.Data) max = Math.Max(max, Math.Abs(v));
        if (max > 0) for (int i = 0; i < x.Data.Length; i++) x.Data[i] /= max;
    }

    private static void Standardise(Matrix<double> x)
    {
        for (int c = 0; c < x.Cols; c++)
        {
            double mean = 0, m2 = 0;
            for (int r = 0; r < x.Rows; r++) mean += x[r, c];
            mean /= x.Rows;
            for (int r = 0; r < x.Rows; r++) { double d = x[r, c] - mean; m2 += d * d; }
            double scale = m2 > 0 ? 1 / Math.Sqrt(m2 / x.Rows) : 0;
            for (int r = 0; r < x.Rows; r++) x[r, c] = (x[r, c] - mean) * scale;
        }
    }
}
