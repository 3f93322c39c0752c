using Tangent.Empirical;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Training;

namespace Tangent.Experiments;

/// <summary>
/// The finite-width arms through the trainer (<c>Tangent.Training</c>): the network g = α·(f(x; θ) − f(x; θ₀)) in the
/// experiment's parameterisation (muP by default: the feature-learning limit) and its linearisation at θ₀, built before
/// training, trained with the same optimiser, rate η/α², steps and (for minibatches) the same batch order, on MSE.
/// Subtracting f(x; θ₀) starts both from a zero output, as kernel regression does.
/// </summary>
/// <remarks>
/// With diagnostics it records, at about 24 log-spaced steps, the training and test loss of both arms and, for the
/// network, its empirical NTK on the training inputs (the plain sum over parameters, Σ_θ ∂f/∂θ ∂f/∂θᵀ, traced over
/// outputs): the relative distance ‖K_t − K_0‖_F/‖K_0‖_F and the centred kernel–target alignment. Under muP the per-layer
/// learning rates weight that sum differently in training; as a measure of how far the features moved it serves either way.
/// </remarks>
public sealed class TrainedArms : INetworkArms
{
    /// <inheritdoc/>
    public NetworkArmsOutcome Train(NetworkArmsRequest request, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(request);
        var e = request.Experiment;
        var network = FiniteNetwork<double>.Create(request.Architecture, request.InputShape, new FiniteNetworkOptions
        {
            Parameterization = e.Parameterization,
            Width = e.Width,
            Source = new SeededParameters(request.Seed),
        });
        // The linearisation freezes a copy of θ₀, so it must be built before the network trains.
        var linearised = e.Linearised ? new LinearizedModel<double>(network, e.Alpha) : null;
        var model = new NetworkModel<double>(network, e.Alpha);
        var options = new TrainerOptions
        {
            Optimizer = TrainingOptimizers.Parse(e.Training.Optimizer),
            LearningRate = e.Training.LearningRate,
            BatchSize = e.Training.BatchSize >= request.XTrain.Rows ? 0 : e.Training.BatchSize,
            Steps = e.Training.Steps,
            Loss = LossKind.Mse,
            BatchSeed = request.Seed,
        };
        int[] observe = request.Diagnostics && !request.KernelsOnly ? ObservationSteps(e.Training.Steps) : [];

        Matrix<double>? k0 = request.Diagnostics ? EmpiricalNtk.Compute(network, request.XTrain).Traced() : null;
        var movement = observe.Length > 0 ? new List<(int Step, double Change, double Alignment)>() : null;
        var networkCurve = Run(model, options, request, observe, cancel, step =>
        {
            var k = EmpiricalNtk.Compute(network, request.XTrain).Traced();
            movement!.Add((step, KernelMetrics.RelativeChange(k, k0!), KernelMetrics.TargetAlignment(k, request.YTrain)));
        });
        var networkOutcome = new ArmOutcome(model.Predict(request.XTest), networkCurve,
            request.Diagnostics ? EmpiricalNtk.Compute(network, request.XTrain).Traced() : null);

        ArmOutcome? linearOutcome = null;
        if (linearised is not null)
        {
            var curve = Run(linearised, options, request, observe, cancel, null);
            linearOutcome = new ArmOutcome(linearised.Predict(request.XTest), curve, k0);
        }
        var movementCurve = movement is null ? null : new KernelMovementCurve(
            movement.Select(m => m.Step).ToArray(), movement.Select(m => m.Change).ToArray(), movement.Select(m => m.Alignment).ToArray());
        return new NetworkArmsOutcome(networkOutcome, linearOutcome, k0, movementCurve);
    }

    private static ExperimentException Diverged(ITrainableModel<double> model, NetworkArmsRequest r, int step) =>
        new($"the {(model is LinearizedModel<double> ? "linearised network" : "network")} diverged at step {step} (seed {r.Seed}, n = {r.XTrain.Rows}): its loss is not finite; lower the learning rate (now {r.Experiment.Training.LearningRate.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)})");

    /// <summary>Step 0, about 24 log-spaced steps, and the last step.</summary>
    public static int[] ObservationSteps(int steps)
    {
        var set = new SortedSet<int> { 0, steps };
        for (int i = 0; i <= 24; i++) set.Add((int)Math.Round(Math.Pow(steps, i / 24.0)));
        return set.Where(s => s <= steps).ToArray();
    }

    private static LossCurve? Run(ITrainableModel<double> model, TrainerOptions options, NetworkArmsRequest r, int[] observe, CancellationToken cancel, Action<int>? atObservation)
    {
        var trainer = new Trainer<double>(model, r.XTrain, r.YTrain, options);
        var steps = new List<int>();
        var train = new List<double>();
        var test = new List<double>();
        int next = 0;
        for (int step = 0; ; step++)
        {
            if (next < observe.Length && observe[next] == step)
            {
                next++;
                steps.Add(step);
                // ½·mean squared error, the trainer's loss, computed here so that a diverged model reads as NaN, not a throw.
                train.Add(Falsifier.HalfMse(model.Predict(r.XTrain), r.YTrain));
                test.Add(Falsifier.HalfMse(model.Predict(r.XTest), r.YTest));
                if (!double.IsFinite(train[^1])) throw Diverged(model, r, step);
                atObservation?.Invoke(step);
            }
            if (step >= options.Steps) break;
            if ((step & 15) == 0) cancel.ThrowIfCancellationRequested();
            if (!double.IsFinite(trainer.Step())) throw Diverged(model, r, step);
        }
        return observe.Length == 0 ? null : new LossCurve(steps.ToArray(), train.ToArray(), test.ToArray());
    }
}
