using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Spectra;

/// <summary>
/// Alignment measures: the cosine between kernels seen as vectors of N² entries, optionally after centring in feature
/// space. 1 means proportional kernels; alignment with Y Yᵀ measures how much of the kernel's similarity structure
/// the targets share.
/// </summary>
public static class KernelAlignment
{
    /// <summary>
    /// Kernel–target alignment ⟨K, YYᵀ⟩_F / (‖K‖_F ‖YYᵀ‖_F) (Cristianini, Shawe-Taylor, Elisseeff and Kandola 2002),
    /// computed as tr(Yᵀ K Y) / (‖K‖_F ‖Yᵀ Y‖_F) without forming the N x N matrix YYᵀ.
    /// </summary>
    public static double WithTargets(Matrix<double> kernel, Matrix<double> y)
    {
        CheckTargets(kernel, y);
        double kNorm = Frobenius(kernel);
        var yy = Gram(y);
        double denominator = kNorm * Frobenius(yy);
        return denominator == 0 ? 0 : TraceYtKY(kernel, y) / denominator;
    }

    /// <summary>
    /// Centred kernel alignment ⟨HK₁H, HK₂H⟩_F / (‖HK₁H‖_F ‖HK₂H‖_F) with H = I − 11ᵀ/N (Cortes, Mohri and Rostamizadeh
    /// 2012; as CKA by Kornblith et al. 2019 to compare representations): insensitive to constant offsets and scale.
    /// </summary>
    public static double Centered(Matrix<double> first, Matrix<double> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Rows != first.Cols || second.Rows != second.Cols || first.Rows != second.Rows)
            throw new KernelRequestException($"centred alignment needs two square kernels of the same size, got {first.Rows}x{first.Cols} and {second.Rows}x{second.Cols}");
        var a = Center(first);
        var b = Center(second);
        double ab = System.Numerics.Tensors.TensorPrimitives.Dot<double>(a.Data, b.Data);
        double denominator = Frobenius(a) * Frobenius(b);
        return denominator == 0 ? 0 : ab / denominator;
    }

    /// <summary>
    /// Centred kernel–target alignment: <see cref="Centered"/> of K with YYᵀ, computed as tr(Y_cᵀ K Y_c) /
    /// (‖HKH‖_F ‖Y_cᵀ Y_c‖_F) with Y_c = HY the targets centred over examples (H is idempotent).
    /// </summary>
    public static double CenteredWithTargets(Matrix<double> kernel, Matrix<double> y)
    {
        CheckTargets(kernel, y);
        var yc = y.Clone();
        for (int o = 0; o < y.Cols; o++)
        {
            double mean = 0;
            for (int i = 0; i < y.Rows; i++) mean += y[i, o];
            mean /= y.Rows;
            for (int i = 0; i < y.Rows; i++) yc[i, o] -= mean;
        }
        double denominator = Frobenius(Center(kernel)) * Frobenius(Gram(yc));
        return denominator == 0 ? 0 : TraceYtKY(kernel, yc) / denominator;
    }

    /// <summary>HKH: K minus its row means, column means, plus its grand mean.</summary>
    internal static Matrix<double> Center(Matrix<double> k)
    {
        int n = k.Rows;
        var rowMean = new double[n];
        var colMean = new double[n];
        double grand = 0;
        for (int i = 0; i < n; i++)
        {
            var row = k.Row(i);
            double s = System.Numerics.Tensors.TensorPrimitives.Sum<double>(row);
            rowMean[i] = s / n;
            grand += s;
            System.Numerics.Tensors.TensorPrimitives.Add(colMean, row, colMean);
        }
        grand /= (double)n * n;
        for (int j = 0; j < n; j++) colMean[j] /= n;
        var c = new Matrix<double>(n, n);
        for (int i = 0; i < n; i++)
        {
            var src = k.Row(i);
            var dst = c.Row(i);
            double shift = grand - rowMean[i];
            for (int j = 0; j < n; j++) dst[j] = src[j] - colMean[j] + shift;
        }
        return c;
    }

    private static void CheckTargets(Matrix<double> kernel, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(y);
        if (kernel.Rows != kernel.Cols) throw new KernelRequestException($"the kernel must be square, got {kernel.Rows}x{kernel.Cols}");
        if (y.Rows != kernel.Rows) throw new KernelRequestException($"the targets have {y.Rows} rows but the kernel is {kernel.Rows}x{kernel.Rows}");
    }

    private static double TraceYtKY(Matrix<double> k, Matrix<double> y)
    {
        var ky = new double[y.Data.Length];
        LinearAlgebra.Current.GemmNN(k.Rows, y.Cols, k.Rows, 1.0, k.Data, y.Data, 0.0, ky);
        return System.Numerics.Tensors.TensorPrimitives.Dot<double>(ky, y.Data);
    }

    private static Matrix<double> Gram(Matrix<double> y)
    {
        var g = new Matrix<double>(y.Cols, y.Cols);
        LinearAlgebra.Current.GemmTN(y.Cols, y.Cols, y.Rows, 1.0, y.Data, y.Data, 0.0, g.Data);
        return g;
    }

    private static double Frobenius(Matrix<double> m) => System.Numerics.Tensors.TensorPrimitives.Norm<double>(m.Data);
}
