using Tangent.Networks;
using Tangent.Specs;
using Tangent.Training;

namespace Tangent.Experiments.Mup;

/// <summary>How μP's readout weights start.</summary>
public enum MupReadoutInit
{
    /// <summary>
    /// At zero, as the mup package recommends (<c>readout_zero_init</c>) and Tensor Programs V allows: μP's readout at
    /// initialisation vanishes like 1/√n anyway, so zero is its infinite-width value, and the finite-width term
    /// W₀·Δx ∝ n^(−1/2) it would add to the output's change is gone.
    /// </summary>
    Zero,
    /// <summary>N(0, W_std²/fan_in²), Table 3 of Tensor Programs V (<see cref="ParameterizationRules"/>).</summary>
    Table3,
}

/// <summary>
/// What the μP experiments share: the default network, building one network and its trainer per run, and running many
/// independent runs side by side so that results do not depend on the thread count.
/// </summary>
public static class MupRuns
{
    /// <summary>
    /// The default network: a ReLU MLP with three hidden layers (input weights, two hidden weight matrices, readout),
    /// the shape of the multilayer perceptrons in the mup package's examples. Hidden widths come from the experiment.
    /// </summary>
    public const string DefaultArchitecture = "dense(w=1.41) > relu > dense(w=1.41) > relu > dense(w=1.41) > relu > dense(w=1)";

    /// <summary><see cref="DefaultArchitecture"/> with a readout of <paramref name="outputs"/> outputs.</summary>
    public static string Architecture(int outputs) => DefaultArchitecture[..^1] + $",n={outputs})";

    /// <summary>
    /// The network of one run: every hidden width set to <paramref name="width"/>, parameterisation <paramref name="p"/>,
    /// parameters drawn from <paramref name="seed"/>. Under μP with <paramref name="readout"/> =
    /// <see cref="MupReadoutInit.Zero"/> the readout's weights start at zero (the standard parameterisation keeps its own).
    /// </summary>
    public static FiniteNetwork<double> Network(Layers.Architecture architecture, MupTask task, NetworkParameterization p, int width, ulong seed,
        MupReadoutInit readout = MupReadoutInit.Zero)
    {
        var net = FiniteNetwork<double>.Create(architecture, TensorShape.Flat(task.X.Cols),
            new FiniteNetworkOptions { Parameterization = p, Width = width, OverrideWidths = true, Source = new SeededParameters(seed) });
        if (net.OutputCount != task.Y.Cols)
            throw new ArgumentException($"the network has {net.OutputCount} outputs but task '{task.Name}' has {task.Y.Cols} targets per example; end the architecture with dense(n={task.Y.Cols})");
        if (p == NetworkParameterization.Mup && readout == MupReadoutInit.Zero)
        {
            var last = net.WeightLayers[^1];
            if (last.Role == WeightRole.Output) Array.Clear(last.Weight.Values);
        }
        return net;
    }

    /// <summary>
    /// Loads the task and checks that <paramref name="architecture"/> (text form or <c>@file.json</c>; null: the default
    /// for the task) parses and fits it; throws <see cref="ArgumentException"/> or <see cref="SpecException"/> naming the
    /// problem. Returns the task and the parsed architecture.
    /// </summary>
    public static (MupTask Task, Layers.Architecture Architecture) Setup(string? architecture, string taskName, ulong seed, LossKind? loss)
    {
        var task = MupTask.Load(taskName, seed, loss);
        var parsed = Layers.Architecture.Parse(architecture ?? task.DefaultArchitecture);
        Network(parsed, task, NetworkParameterization.Mup, 2, 0);
        return (task, parsed);
    }

    /// <summary>A trainer of <paramref name="network"/> on the task with mini-batches of <paramref name="batch"/> drawn from <paramref name="seed"/>.</summary>
    public static Trainer<double> Trainer(FiniteNetwork<double> network, MupTask task, OptimizerKind optimizer, double learningRate, int batch, int steps, ulong seed) =>
        new(new NetworkModel<double>(network), task.X, task.Y, new TrainerOptions
        {
            Optimizer = optimizer == OptimizerKind.Adam ? TrainingOptimizer.Adam : TrainingOptimizer.Sgd,
            LearningRate = learningRate,
            BatchSize = batch,
            Loss = task.Loss,
            Steps = steps,
            BatchSeed = seed,
        });

    /// <summary>
    /// Runs <paramref name="count"/> independent jobs on up to <paramref name="threads"/> threads (0: one per core) and
    /// returns their results by index. Each job is sequential and seeded by its index alone, and the native BLAS is held
    /// to one thread per call meanwhile (a threaded BLAS rounds differently for different thread counts), so the results
    /// are the same bits whatever the thread count. Jobs start in decreasing order of <paramref name="cost"/>, which
    /// balances the threads; <paramref name="progress"/> gets the finished share of the total cost.
    /// </summary>
    public static TResult[] RunAll<TResult>(int count, Func<int, double> cost, Func<int, TResult> job, int threads,
        IProgress<double>? progress = null, CancellationToken cancel = default)
    {
        var results = new TResult[count];
        var costs = Enumerable.Range(0, count).Select(cost).ToArray();
        var order = Enumerable.Range(0, count).OrderByDescending(i => costs[i]).ThenBy(i => i).ToArray();
        double total = costs.Sum(), done = 0;
        int next = -1;
        var gate = new object();
        int workers = Math.Clamp(threads > 0 ? threads : Environment.ProcessorCount, 1, Math.Max(count, 1));
        using (Linalg.LinearAlgebra.PinNativeToOneThread())
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancel }, _ =>
            {
                for (int k = Interlocked.Increment(ref next); k < count; k = Interlocked.Increment(ref next))
                {
                    cancel.ThrowIfCancellationRequested();
                    int i = order[k];
                    results[i] = job(i);
                    lock (gate)
                    {
                        done += costs[i];
                        progress?.Report(total > 0 ? done / total : 1);
                    }
                }
            });
        }
        return results;
    }
}
