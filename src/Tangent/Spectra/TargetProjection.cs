using Tangent.Linalg;

namespace Tangent.Spectra;

/// <summary>
/// How the targets spread over the kernel's eigenmodes: the coefficients p_k = v_kᵀ y and the power ‖p_k‖² per mode.
/// Targets concentrated on the top modes are learned fast and generalise well ("spectral bias"; Canatar, Bordelon and
/// Pehlevan 2021 call the cumulative power curve the task–model alignment).
/// </summary>
public sealed class TargetProjection
{
    private readonly double[] _power;
    private readonly double[] _cumulative;

    private TargetProjection(Matrix<double> coefficients, double[] power, double[] cumulative)
    {
        Coefficients = coefficients;
        _power = power;
        _cumulative = cumulative;
    }

    /// <summary>Projects <paramref name="y"/> (N x O) on the modes of <paramref name="spectrum"/>.</summary>
    public static TargetProjection Compute(KernelSpectrum spectrum, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        ArgumentNullException.ThrowIfNull(y);
        if (y.Rows != spectrum.Size) throw new Kernels.KernelRequestException($"the targets have {y.Rows} rows but the kernel is {spectrum.Size}x{spectrum.Size}");
        var coefficients = spectrum.Project(y);
        int n = spectrum.Size;
        var power = new double[n];
        var cumulative = new double[n];
        double total = 0;
        for (int k = 0; k < n; k++)
        {
            foreach (double v in coefficients.Row(k)) power[k] += v * v;
            total += power[k];
        }
        double running = 0;
        for (int k = 0; k < n; k++)
        {
            running += power[k];
            cumulative[k] = total > 0 ? running / total : 0;
        }
        return new TargetProjection(coefficients, power, cumulative);
    }

    /// <summary>p = Vᵀ y, modes (largest eigenvalue first) x outputs.</summary>
    public Matrix<double> Coefficients { get; }

    /// <summary>Number of outputs O.</summary>
    public int Outputs => Coefficients.Cols;

    /// <summary>‖p_k‖² summed over outputs, per mode.</summary>
    public ReadOnlySpan<double> Power => _power;

    /// <summary>Fraction of ‖y‖² in the top k+1 modes.</summary>
    public ReadOnlySpan<double> CumulativePowerFraction => _cumulative;

    /// <summary>‖y‖²_F.</summary>
    public double TotalPower => _power.Sum();
}
