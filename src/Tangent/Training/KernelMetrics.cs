using System.Numerics.Tensors;
using Tangent.Linalg;
using Tangent.Spectra;

namespace Tangent.Training;

/// <summary>How a kernel K_t compares with K₀ and with the targets: the kernel-movement measures of a training run.</summary>
public static class KernelMetrics
{
    /// <summary>‖K_t − K₀‖_F / ‖K₀‖_F: how far the kernel moved (0 in the infinite-width NTK limit).</summary>
    public static double RelativeChange(Matrix<double> kt, Matrix<double> k0)
    {
        Check(kt, k0);
        double norm = Math.Sqrt(TensorPrimitives.SumOfSquares<double>(k0.Data));
        double diff = 0;
        for (int i = 0; i < kt.Data.Length; i++) { double d = kt.Data[i] - k0.Data[i]; diff += d * d; }
        return norm == 0 ? double.NaN : Math.Sqrt(diff) / norm;
    }

    /// <summary>
    /// Kernel velocity in the sense of Fort et al. (2020): the relative change of K per step between two observations,
    /// ‖K_t − K_s‖_F / ‖K_s‖_F / (t − s).
    /// </summary>
    public static double Velocity(Matrix<double> kt, int t, Matrix<double> ks, int s) =>
        t > s ? RelativeChange(kt, ks) / (t - s) : double.NaN;

    /// <summary>CKA(K_t, K₀): centred alignment (rotation of the kernel, insensitive to scale).</summary>
    public static double Cka(Matrix<double> kt, Matrix<double> k0) => KernelAlignment.Centered(kt, k0);

    /// <summary>Centred kernel–target alignment of K with targets Y (rises as features learn the task).</summary>
    public static double TargetAlignment(Matrix<double> k, Matrix<double> y) => KernelAlignment.CenteredWithTargets(k, y);

    /// <summary>The <paramref name="count"/> largest eigenvalues of K, descending.</summary>
    public static double[] TopEigenvalues(Matrix<double> k, int count)
    {
        var spectrum = KernelSpectrum.Compute(k);
        return spectrum.Eigenvalues[..Math.Min(count, spectrum.Size)].ToArray();
    }

    private static void Check(Matrix<double> a, Matrix<double> b)
    {
        if (a.Rows != b.Rows || a.Cols != b.Cols) throw new ArgumentException($"kernels of different shapes: {a.Rows}x{a.Cols} and {b.Rows}x{b.Cols}");
    }
}
