using Tangent.Linalg;

namespace Tangent.Spectra;

/// <summary>Everything <see cref="SpectrumAnalysis.Run"/> found; properties that need targets are null without them.</summary>
public sealed class SpectrumReport
{
    /// <summary>N.</summary>
    public int Size { get; init; }
    /// <summary>O, when targets were given.</summary>
    public int? Outputs { get; set; }
    /// <summary>Eigenvalues of the kernel, largest first.</summary>
    public double[] Eigenvalues { get; init; } = [];
    /// <summary>trace K.</summary>
    public double Trace { get; init; }
    /// <summary>λ_max.</summary>
    public double Largest { get; init; }
    /// <summary>λ_min.</summary>
    public double Smallest { get; init; }
    /// <summary>λ_max / λ_min (infinity when λ_min ≤ 0).</summary>
    public double ConditionNumber { get; init; }
    /// <summary>(Σλ)²/Σλ².</summary>
    public double ParticipationRatio { get; init; }
    /// <summary>exp(entropy of λ/Σλ).</summary>
    public double EntropyEffectiveRank { get; init; }
    /// <summary>η used for the dynamics.</summary>
    public double LearningRate { get; init; }
    /// <summary>Absolute amount added to the diagonal for the dynamics.</summary>
    public double RegularizationAmount { get; init; }
    /// <summary>2·N·O/λ_max of the (regularised) kernel.</summary>
    public double MaxLearningRate { get; init; }
    /// <summary>Du et al.'s linear rate from λ_min.</summary>
    public ConvergenceBound? Convergence { get; init; }
    /// <summary>Centred alignment with the comparison kernel, when one was given.</summary>
    public double? CenteredAlignmentWithCompare { get; init; }

    /// <summary>‖v_kᵀ y‖² per mode.</summary>
    public double[]? TargetPower { get; set; }
    /// <summary>Fraction of ‖y‖² in the top k+1 modes.</summary>
    public double[]? CumulativeTargetPower { get; set; }
    /// <summary>⟨K, yyᵀ⟩ / (‖K‖ ‖yyᵀ‖).</summary>
    public double? KernelTargetAlignment { get; set; }
    /// <summary>The same after centring.</summary>
    public double? CenteredKernelTargetAlignment { get; set; }
    /// <summary>Times of the dynamics curves.</summary>
    public double[]? Times { get; set; }
    /// <summary>The modes of <see cref="ResidualPerMode"/> (0 = largest).</summary>
    public int[]? Modes { get; set; }
    /// <summary>|residual| per mode over time, times x modes.</summary>
    public Matrix<double>? ResidualPerMode { get; set; }
    /// <summary>Predicted training MSE over time.</summary>
    public double[]? TrainError { get; set; }
    /// <summary>Predicted test MSE over time, when a test set was given.</summary>
    public double[]? TestError { get; set; }
    /// <summary>Predicted test MSE against training-set size.</summary>
    public LearningCurvePoint[]? LearningCurve { get; set; }
    /// <summary>Measured test MSE against training-set size.</summary>
    public MeasuredPoint[]? MeasuredLearningCurve { get; set; }
    /// <summary>The theory's prediction at each measured size.</summary>
    public double[]? PredictedAtMeasuredSizes { get; set; }
}
