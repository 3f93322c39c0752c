using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Experiments;

/// <summary>What the finite-network arms are asked to do for one seed and one training-set size.</summary>
/// <param name="Architecture">The spec.</param>
/// <param name="InputShape">Shape of one example.</param>
/// <param name="Experiment">Width, parameterisation, α and training settings.</param>
/// <param name="XTrain">Training inputs.</param>
/// <param name="YTrain">Training targets.</param>
/// <param name="XTest">Test inputs.</param>
/// <param name="YTest">Test targets (for the test-loss curve only; never trained on).</param>
/// <param name="Seed">Seed of the initialisation (and of minibatches).</param>
/// <param name="Diagnostics">Whether to record what the report plots: learning curves, kernel movement, the empirical NTKs on the training set.</param>
/// <param name="KernelsOnly">With <paramref name="Diagnostics"/>: only the empirical NTKs at initialisation and after training (for the alignment metric), no curves.</param>
public sealed record NetworkArmsRequest(Architecture Architecture, TensorShape InputShape, Experiment Experiment,
    Matrix<double> XTrain, Matrix<double> YTrain, Matrix<double> XTest, Matrix<double> YTest, ulong Seed, bool Diagnostics, bool KernelsOnly = false);

/// <summary>Loss along training, at the recorded steps.</summary>
/// <param name="Steps">The steps (0 is the initialisation).</param>
/// <param name="TrainLoss">Training MSE (½·mean over examples and outputs, as the trainer minimises it).</param>
/// <param name="TestLoss">Test MSE, same convention.</param>
public sealed record LossCurve(int[] Steps, double[] TrainLoss, double[] TestLoss);

/// <summary>How far the network's empirical NTK moved from its initial value along training.</summary>
/// <param name="Steps">The steps.</param>
/// <param name="RelativeChange">‖K_t − K_0‖_F / ‖K_0‖_F on the training set.</param>
/// <param name="TargetAlignment">Centred kernel–target alignment of K_t (NaN where not measured).</param>
public sealed record KernelMovementCurve(int[] Steps, double[] RelativeChange, double[] TargetAlignment);

/// <summary>One trained model's results.</summary>
/// <param name="TestPrediction">Predictions on the test inputs after training.</param>
/// <param name="Curve">Losses along training (with diagnostics), else null.</param>
/// <param name="FinalNtk">Empirical NTK on the training inputs after training (with diagnostics), else null.</param>
public sealed record ArmOutcome(Matrix<double> TestPrediction, LossCurve? Curve, Matrix<double>? FinalNtk);

/// <summary>The trained network and its linearisation for one seed and training-set size.</summary>
/// <param name="Network">The network trained in the feature-learning regime.</param>
/// <param name="Linearised">Its linearisation at initialisation trained the same way (null when not asked for).</param>
/// <param name="InitialNtk">The empirical NTK at initialisation on the training inputs (the linearisation's fixed kernel), with diagnostics.</param>
/// <param name="Movement">The network's kernel movement along training, with diagnostics.</param>
public sealed record NetworkArmsOutcome(ArmOutcome Network, ArmOutcome? Linearised, Matrix<double>? InitialNtk, KernelMovementCurve? Movement);

/// <summary>
/// Trains the finite-width arms of the falsifier: (1) the network in the feature-learning regime and (2) its
/// linearisation at initialisation (frozen features), with the same optimiser, steps and data.
/// </summary>
public interface INetworkArms
{
    /// <summary>Trains both arms for <paramref name="request"/>.</summary>
    NetworkArmsOutcome Train(NetworkArmsRequest request, CancellationToken cancel);
}
