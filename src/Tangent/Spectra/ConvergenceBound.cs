using Tangent.Kernels;

namespace Tangent.Spectra;

/// <summary>
/// The linear convergence that the smallest eigenvalue of the training kernel guarantees (Du, Zhai, Póczos and Singh
/// 2019, "Gradient descent provably optimizes over-parameterized neural networks", Theorems 3.1 and 4.1: with
/// λ₀ = λ_min(H^∞) &gt; 0 the training residual decays at least like exp(−λ₀ t)). For a fixed kernel K and the loss
/// ½·mean over N·O targets the bound is exact in the kernel regime: with a = η/(N·O),
/// <code>
///   gradient flow:  ‖r(t)‖² ≤ exp(−2 a λ_min t) ‖r(0)‖²
///   k steps:        ‖r(k)‖² ≤ ρ^{2k} ‖r(0)‖²,  ρ = max_k |1 − a λ_k|
/// </code>
/// with equality for a residual along the slowest (or, for steps, the most contracting-resistant) mode.
/// </summary>
/// <param name="SmallestEigenvalue">λ_min of the training kernel.</param>
/// <param name="LargestEigenvalue">λ_max of the training kernel.</param>
/// <param name="LearningRate">η.</param>
/// <param name="TargetCount">N·O.</param>
public sealed record ConvergenceBound(double SmallestEigenvalue, double LargestEigenvalue, double LearningRate, int TargetCount)
{
    /// <summary>From a spectrum, a learning rate and the number of outputs O.</summary>
    public static ConvergenceBound From(KernelSpectrum spectrum, double learningRate, int outputs)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        if (!(learningRate > 0)) throw new KernelRequestException($"the learning rate must be positive, got {learningRate}");
        return new ConvergenceBound(spectrum.Smallest, spectrum.Largest, learningRate, spectrum.Size * outputs);
    }

    /// <summary>a = η/(N·O).</summary>
    public double Rate => LearningRate / TargetCount;

    /// <summary>2 a λ_min: the guaranteed exponential rate of the squared residual norm per unit time (0 when λ_min ≤ 0).</summary>
    public double FlowRate => 2 * Rate * Math.Max(SmallestEigenvalue, 0);

    /// <summary>ρ = max(|1 − a λ_min|, |1 − a λ_max|): the worst per-step contraction of the residual; ≥ 1 means no guarantee.</summary>
    public double StepContraction => Math.Max(Math.Abs(1 - Rate * SmallestEigenvalue), Math.Abs(1 - Rate * LargestEigenvalue));

    /// <summary>The time after which ‖r(t)‖ ≤ <paramref name="fraction"/>·‖r(0)‖ is guaranteed: ln(1/fraction) / (a λ_min).</summary>
    public double TimeToReach(double fraction) => FlowRate > 0 ? Math.Log(1 / fraction) / (FlowRate / 2) : double.PositiveInfinity;
}
