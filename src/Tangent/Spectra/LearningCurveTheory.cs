using Tangent.Kernels;

namespace Tangent.Spectra;

/// <summary>
/// The predicted test error of kernel (ridge) regression as a function of the number of training samples n, from the
/// kernel's spectrum and the target's power per mode: the theory of Bordelon, Canatar and Pehlevan (2020, "Spectrum
/// dependent learning curves in kernel regression and wide neural networks", ICML) in the form of Canatar, Bordelon and
/// Pehlevan (2021, Nature Communications 12:2914, eqs. 4–5). With operator eigenvalues η_ρ, target power a_ρ² in mode
/// ρ, ridge λ and label noise σ²:
/// <code>
///   κ   = λ + Σ_ρ κ η_ρ / (n η_ρ + κ)                 (self-consistent; unique root)
///   γ   = Σ_ρ n η_ρ² / (n η_ρ + κ)²
///   E_g = [ Σ_ρ a_ρ² κ² / (n η_ρ + κ)² + σ² γ ] / (1 − γ)
/// </code>
/// Mode ρ is learned once n η_ρ ≫ κ: modes are learned in order of their eigenvalue (spectral bias).
/// </summary>
/// <remarks>
/// From a kernel matrix on M points taken as samples of the data distribution, the operator eigenvalues are
/// η_ρ = λ_ρ(K)/M and the target powers a_ρ² = (v_ρᵀ y)²/M (so Σ a_ρ² = mean y²); the test error is then the expected
/// squared error over that distribution. Powers are averaged over outputs, so E_g is a mean over outputs like a
/// test MSE. λ is the ridge added to the n x n Gram matrix of the training samples, (K_n + λ I)⁻¹.
/// </remarks>
public sealed class LearningCurveTheory
{
    private readonly double[] _eta;
    private readonly double[] _power;

    /// <summary>From operator eigenvalues and target powers per mode (same length; eigenvalues ≥ 0).</summary>
    public LearningCurveTheory(double[] eigenvalues, double[] targetPower, double ridge = 0, double noiseVariance = 0)
    {
        ArgumentNullException.ThrowIfNull(eigenvalues);
        ArgumentNullException.ThrowIfNull(targetPower);
        if (eigenvalues.Length != targetPower.Length) throw new ArgumentException("one target power per eigenvalue", nameof(targetPower));
        if (!(ridge >= 0) || !double.IsFinite(ridge)) throw new KernelRequestException($"the ridge must be finite and non-negative, got {ridge}");
        if (!(noiseVariance >= 0) || !double.IsFinite(noiseVariance)) throw new KernelRequestException($"the noise variance must be finite and non-negative, got {noiseVariance}");
        // Rounding-level negative eigenvalues of a PSD kernel are zero modes.
        _eta = eigenvalues.Select(v => Math.Max(v, 0)).ToArray();
        _power = (double[])targetPower.Clone();
        Ridge = ridge;
        NoiseVariance = noiseVariance;
    }

    /// <summary>From a kernel matrix on M samples of the data and the targets' projection on its modes.</summary>
    public static LearningCurveTheory FromKernel(KernelSpectrum spectrum, TargetProjection targets, double ridge = 0, double noiseVariance = 0)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        ArgumentNullException.ThrowIfNull(targets);
        int m = spectrum.Size;
        var eta = new double[m];
        var power = new double[m];
        for (int k = 0; k < m; k++)
        {
            eta[k] = spectrum.Eigenvalues[k] / m;
            power[k] = targets.Power[k] / ((double)m * targets.Outputs);
        }
        return new LearningCurveTheory(eta, power, ridge, noiseVariance);
    }

    /// <summary>λ.</summary>
    public double Ridge { get; }

    /// <summary>σ².</summary>
    public double NoiseVariance { get; }

    /// <summary>The prediction at <paramref name="n"/> training samples (n &gt; 0, need not be whole).</summary>
    public LearningCurvePoint Predict(double n)
    {
        if (!(n > 0)) throw new ArgumentOutOfRangeException(nameof(n), n, "the number of samples must be positive");
        double kappa = SolveKappa(n);
        double gamma = 0, bias = 0;
        for (int r = 0; r < _eta.Length; r++)
        {
            double eta = _eta[r];
            if (eta == 0) { bias += _power[r]; continue; }   // a zero mode is never learned: κ²/κ² = 1
            double denominator = n * eta + kappa;
            gamma += n * eta * eta / (denominator * denominator);
            bias += kappa == 0 ? 0 : _power[r] * (kappa / denominator) * (kappa / denominator);
        }
        double error = gamma >= 1 ? double.PositiveInfinity : (bias + NoiseVariance * gamma) / (1 - gamma);
        return new LearningCurvePoint(n, kappa, gamma, error);
    }

    /// <summary>The fraction of mode ρ's target power still unlearned at n samples: (κ / (n η_ρ + κ))².</summary>
    public double UnlearnedFraction(int mode, double n)
    {
        double kappa = SolveKappa(n), eta = _eta[mode];
        return eta == 0 ? 1 : kappa == 0 ? 0 : Math.Pow(kappa / (n * eta + kappa), 2);
    }

    /// <summary>
    /// The root κ of κ = λ + κ Σ η/(nη + κ). For λ &gt; 0 the right side minus κ is concave, positive at κ = λ and negative
    /// at κ = λ + Σ η, so the root is unique there. For λ = 0 the root is the κ &gt; 0 where Σ η/(nη + κ) = 1, which exists
    /// only when there are more non-zero modes than samples; otherwise κ = 0 (the data interpolate every mode).
    /// Bisection (geometric while the bracket spans decades) to full double precision.
    /// </summary>
    public double SolveKappa(double n)
    {
        double sumEta = 0;
        int modes = 0;
        foreach (double e in _eta) { sumEta += e; if (e > 0) modes++; }
        if (sumEta == 0) return Ridge;
        double lo, hi;
        Func<double, double> g;
        if (Ridge > 0)
        {
            lo = Ridge; hi = Ridge + sumEta;
            g = kappa => Ridge + kappa * Sum(n, kappa) - kappa;
        }
        else
        {
            if (modes <= n) return 0;
            // Σ η/(nη + κ) → modes/n > 1 as κ → 0: find a lower end where it is still above 1.
            hi = sumEta;
            lo = sumEta;
            do lo *= 1e-3; while (Sum(n, lo) <= 1 && lo > 1e-300);
            g = kappa => Sum(n, kappa) - 1;
        }
        for (int i = 0; i < 400 && hi - lo > 2e-16 * hi; i++)
        {
            double mid = hi / lo > 4 ? Math.Sqrt(lo * hi) : 0.5 * (lo + hi);
            if (g(mid) > 0) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    private double Sum(double n, double kappa)
    {
        double s = 0;
        foreach (double eta in _eta)
            if (eta > 0) s += eta / (n * eta + kappa);
        return s;
    }
}

/// <summary>One point of a predicted learning curve.</summary>
/// <param name="Samples">n.</param>
/// <param name="Kappa">κ, the effective regularisation: modes with n η ≫ κ are learned.</param>
/// <param name="Gamma">γ ∈ [0, 1): the variance amplification; the error is divided by 1 − γ.</param>
/// <param name="TestError">E_g, the expected squared test error (mean over outputs); infinity at γ = 1.</param>
public sealed record LearningCurvePoint(double Samples, double Kappa, double Gamma, double TestError);
