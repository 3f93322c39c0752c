using System.Diagnostics;
using Tangent.Experiments.Tasks;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Training;

namespace Tangent.Bench;

/// <summary>Trainer figures: optimiser steps per second of a finite network and of its linearisation.</summary>
public static class TrainingBenchmarks
{
    private const string Mlp = "dense(w=1.41,b=0.1,n=1024) > relu > dense(w=1.41,b=0.1,n=1024) > relu > dense(w=1,n=10)";

    public static IEnumerable<BenchDefinition> All =>
    [
        new("train_mlp_w1024_100steps",
            "SGD (batch 256, MSE) on the digits task with a 64-1024-1024-10 ReLU MLP in NTK parameterisation, float64: 100 steps, best of 3; value: steps per second (detail: the linearised model's steps per second)",
            TrainMlp),
    ];

    private static BenchFigure TrainMlp()
    {
        var task = new DigitsTask();
        var data = task.Generate(1024, 0, 0);
        var options = new TrainerOptions { Optimizer = TrainingOptimizer.Sgd, BatchSize = 256, LearningRate = 0.5, Steps = 100 };
        FiniteNetwork<double> Network() => FiniteNetwork<double>.Create(Architecture.Parse(Mlp), task.InputShape, new FiniteNetworkOptions { Source = new SeededParameters(1) });

        double best = double.PositiveInfinity, loss = double.NaN;
        for (int r = 0; r < 3; r++)
        {
            var trainer = new Trainer<double>(new NetworkModel<double>(Network()), data.XTrain, data.YTrain, options);
            trainer.Step();                                    // warm-up: code paths and buffers
            var clock = Stopwatch.StartNew();
            for (int s = 0; s < 100; s++) loss = trainer.Step();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        var lin = new Trainer<double>(new LinearizedModel<double>(Network()), data.XTrain, data.YTrain, options);
        lin.Step();
        var linClock = Stopwatch.StartNew();
        for (int s = 0; s < 20; s++) lin.Step();
        double linRate = 20 / linClock.Elapsed.TotalSeconds;
        return new BenchFigure("train_mlp_w1024_100steps", 100 / best, "steps/s", new Dictionary<string, object>
        {
            ["seconds_per_100_steps"] = best,
            ["linearized_steps_per_second"] = linRate,
            ["batch"] = 256, ["final_batch_loss"] = loss,
            ["parameters"] = Network().ParameterCount,
            ["backend"] = LinearAlgebra.Current.Name, ["threads"] = Environment.ProcessorCount,
        });
    }
}
