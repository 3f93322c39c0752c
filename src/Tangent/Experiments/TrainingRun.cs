using System.Diagnostics;
using Tangent.Empirical;
using Tangent.Experiments.Tasks;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Training;

namespace Tangent.Experiments;

/// <summary>The outcome of <see cref="TrainingRun.Run"/>.</summary>
/// <param name="Config">The configuration, with task defaults filled in.</param>
/// <param name="Records">One record per observed step, in order.</param>
/// <param name="ParameterCount">Parameters of the network.</param>
/// <param name="ExactLinearization">Whether J·v was exact forward mode (false: finite differences).</param>
public sealed record TrainingRunResult(TrainingRunConfig Config, IReadOnlyList<TrainingRecord> Records, long ParameterCount, bool ExactLinearization)
{
    /// <summary>The last record (the end of training).</summary>
    public TrainingRecord Final => Records[^1];
}

/// <summary>
/// One training run measured along the way: the network and (optionally) its linearisation trained in lockstep on the
/// same batches, and at each observed step the losses and accuracies of both, the parameter movement, the empirical NTK
/// on a probe set compared with K₀ (relative change, CKA, velocity, target alignment, spectrum) and ‖f − f_lin‖ on test points.
/// </summary>
public static class TrainingRun
{
    /// <summary>Fills the task's defaults into <paramref name="config"/> (architecture, loss, counts) and checks it.</summary>
    /// <exception cref="ArgumentException">Unknown task, too many examples, bad settings.</exception>
    public static TrainingRunConfig Resolve(TrainingRunConfig config)
    {
        var task = TaskRegistry.Get(config.Task);
        var loss = config.Loss ?? task.DefaultLoss;
        var resolved = config with
        {
            Task = task.Name,
            Architecture = config.Architecture ?? task.DefaultArchitecture,
            TrainCount = config.TrainCount > 0 ? config.TrainCount : task.DefaultTrainCount,
            TestCount = config.TestCount > 0 ? config.TestCount : task.DefaultTestCount,
            Loss = loss,
            Trainer = config.Trainer with { Loss = loss, BatchSeed = config.Seed },
        };
        Layers.Architecture.Parse(resolved.Architecture!);      // a bad spec fails here, before any work
        if (resolved.Width < 1) throw new ArgumentException($"the width must be positive, got {resolved.Width}");
        if ((long)resolved.TrainCount + resolved.TestCount > task.MaxExamples)
            throw new ArgumentException($"task {task.Name} has {task.MaxExamples} examples; {resolved.TrainCount} train + {resolved.TestCount} test is too many");
        if (config.TrainCount < 0 || config.TestCount < 0) throw new ArgumentException($"the train and test counts must be non-negative, got {config.TrainCount} and {config.TestCount}");
        if (!(resolved.InitScale > 0) || !double.IsFinite(resolved.InitScale)) throw new ArgumentException($"the initialisation scale must be positive and finite, got {resolved.InitScale}");
        if (resolved.ProbeCount < 0) throw new ArgumentException("the probe count must be non-negative");
        if (resolved.Alpha is { } a && (!(a > 0) || !double.IsFinite(a))) throw new ArgumentException($"α must be positive and finite, got {a}");
        resolved.Trainer.Validate();
        return resolved;
    }

    /// <summary>Runs <paramref name="config"/>; <paramref name="onRecord"/> sees every record as it is measured.</summary>
    public static TrainingRunResult Run(TrainingRunConfig config, Action<TrainingRecord>? onRecord = null, IProgress<double>? progress = null, CancellationToken cancel = default)
    {
        config = Resolve(config);
        var clock = Stopwatch.StartNew();
        var task = TaskRegistry.Get(config.Task);
        var data = task.Generate(config.TrainCount, config.TestCount, config.DataSeed);
        var network = FiniteNetwork<double>.Create(Layers.Architecture.Parse(config.Architecture!), task.InputShape, new FiniteNetworkOptions
        {
            Parameterization = config.Parameterization,
            Width = config.Width,
            OverrideWidths = true,
            Source = new SeededParameters(config.Seed),
        });
        if (config.InitScale != 1) NetworkCopy.ScaleInitialWeights(network, config.InitScale);

        if (network.OutputCount != task.OutputCount)
            throw new Specs.SpecException($"spec error: the network has {network.OutputCount} output(s) but task {task.Name} has {task.OutputCount}; give the readout n={task.OutputCount}");
        var model = new NetworkModel<double>(network, config.Alpha);
        var lin = config.Linearize ? new LinearizedModel<double>(network, config.Alpha) : null;
        var trainer = new Trainer<double>(model, data.XTrain, data.YTrain, config.Trainer);
        var linTrainer = lin is null ? null : new Trainer<double>(lin, data.XTrain, data.YTrain, config.Trainer);
        var movement = new ParameterMovement<double>(network.Parameters);

        int probes = Math.Min(config.ProbeCount, data.TrainCount);
        var probeX = Rows(data.XTrain, probes);
        var probeY = Rows(data.YTrain, probes);
        Matrix<double>? k0 = probes > 1 ? EmpiricalNtk.Compute(network, probeX).Traced() : null;
        Matrix<double>? kPrevious = k0;
        int previousStep = 0;

        var records = new List<TrainingRecord>();
        var observe = config.StepsToObserve();
        int total = config.Trainer.Steps;
        foreach (int target in observe)
        {
            while (trainer.StepsDone < target)
            {
                cancel.ThrowIfCancellationRequested();
                trainer.Step();
                linTrainer?.Step();
                progress?.Report(total == 0 ? 1 : (double)trainer.StepsDone / total);
            }
            var train = trainer.Evaluate(data.XTrain, data.YTrain);
            var fTest = Evaluation.ToDouble(model.Predict(data.XTest));
            var test = Evaluation.Score(fTest, data.YTest, config.Loss!.Value);
            var (paramChange, perTensor) = movement.Measure(network.Parameters);
            var record = new TrainingRecord
            {
                Step = target,
                LearningRate = trainer.LearningRateAt(target),
                TrainLoss = train.Loss, TrainAccuracy = train.Accuracy,
                TestLoss = test.Loss, TestAccuracy = test.Accuracy,
                ParamChange = paramChange, ParamChangePerTensor = perTensor,
            };
            if (lin is not null)
            {
                var linTrain = linTrainer!.Evaluate(data.XTrain, data.YTrain);
                var fLin = Evaluation.ToDouble(lin.Predict(data.XTest));
                var linTest = Evaluation.Score(fLin, data.YTest, config.Loss!.Value);
                double gap = 0, scale = 0;
                for (int i = 0; i < fLin.Data.Length; i++) { double d = fTest.Data[i] - fLin.Data[i]; gap += d * d; scale += fLin.Data[i] * fLin.Data[i]; }
                record = record with
                {
                    LinTrainLoss = linTrain.Loss, LinTrainAccuracy = linTrain.Accuracy, LinTestLoss = linTest.Loss, LinTestAccuracy = linTest.Accuracy,
                    OutputGap = Math.Sqrt(gap / Math.Max(1, fLin.Data.Length)), OutputGapRelative = scale > 0 ? Math.Sqrt(gap / scale) : double.NaN,
                };
            }
            if (k0 is not null)
            {
                var kt = EmpiricalNtk.Compute(network, probeX).Traced();
                record = record with
                {
                    KernelChange = KernelMetrics.RelativeChange(kt, k0),
                    KernelCka = KernelMetrics.Cka(kt, k0),
                    KernelAlignment = KernelMetrics.TargetAlignment(kt, probeY),
                    KernelVelocity = KernelMetrics.Velocity(kt, target, kPrevious!, previousStep),
                    KernelEigenvalues = KernelMetrics.TopEigenvalues(kt, config.SpectrumSize),
                };
                kPrevious = kt;
                previousStep = target;
            }
            record = record with { Seconds = clock.Elapsed.TotalSeconds };
            records.Add(record);
            onRecord?.Invoke(record);
        }
        progress?.Report(1);
        return new TrainingRunResult(config, records, network.ParameterCount, lin?.IsExact ?? true);
    }

    private static Matrix<double> Rows(Matrix<double> m, int count) => new(count, m.Cols, m.Data.AsSpan(0, count * m.Cols).ToArray());
}
