using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Training;

namespace Tangent.Tests.Training;

/// <summary>Optimiser updates by hand, per-tensor μP learning rates, schedules, and the trainer's batch order.</summary>
public class OptimizerTests
{
    private static ParameterTensor<double> Tensor(double sgd, double adam, params double[] values)
    {
        var t = new ParameterTensor<double>("t", [values.Length], new ParameterScale(1, 1, sgd, adam));
        values.CopyTo(t.Values, 0);
        return t;
    }

    [Fact]
    public void Sgd_uses_each_tensors_learning_rate_factor_and_momentum()
    {
        var (a, b) = (Tensor(1, 9, 1, 2), Tensor(0.25, 9, 3));
        var opt = new MomentumSgd<double>(momentum: 0.5);
        opt.Step([a, b], [[1, -1], [4]], 0.1);
        Assert.Equal(0.9, a.Values[0], 1e-15);
        Assert.Equal(2.1, a.Values[1], 1e-15);
        Assert.Equal(3 - 0.1 * 0.25 * 4, b.Values[0], 1e-15);
        opt.Step([a, b], [[1, -1], [4]], 0.1);
        // v = 0.5·1 + 1 = 1.5.
        Assert.Equal(0.9 - 0.15, a.Values[0], 1e-15);
    }

    [Fact]
    public void Adam_first_step_moves_each_coordinate_by_its_rate()
    {
        var a = Tensor(9, 0.5, 1, 2, 3);
        new AdamOptimizer<double>(epsilon: 1e-12).Step([a], [[1e-3, -50, 0]], 0.2);
        Assert.Equal(0.9, a.Values[0], 1e-9);
        Assert.Equal(2.1, a.Values[1], 1e-9);
        Assert.Equal(3, a.Values[2], 1e-9);
    }

    [Fact]
    public void Mup_readout_moves_with_its_sgd_factor()
    {
        const int width = 64;
        var net = FiniteNetwork<double>.Create(Architecture.Parse($"dense(n={width}) > relu > dense(n=1)"), Tangent.Specs.TensorShape.Flat(4),
            new FiniteNetworkOptions { Parameterization = NetworkParameterization.Mup, Source = new SeededParameters(2) });
        var model = new NetworkModel<double>(net);
        var rng = new Random(3);
        var x = new Matrix<double>(8, 4, Enumerable.Range(0, 32).Select(_ => rng.NextDouble() - 0.5).ToArray());
        var y = new Matrix<double>(8, 1, Enumerable.Range(0, 8).Select(_ => rng.NextDouble()).ToArray());
        var readout = net.Parameters[2];
        var before = (double[])readout.Values.Clone();
        var trainer = new Trainer<double>(model, x, y, new TrainerOptions { LearningRate = 0.3, Steps = 1 });
        trainer.Step();
        var g = model.Gradients[2];
        for (int k = 0; k < before.Length; k++) Assert.Equal(before[k] - 0.3 / width * g[k], readout.Values[k], 1e-14);
        Assert.Equal(1.0 / width, readout.Scale.SgdLearningRate, 1e-15);
    }

    [Fact]
    public void Schedules_parse_and_decay()
    {
        Assert.Equal(1, LearningRateSchedule.Parse("constant").Factor(50, 100));
        var cos = LearningRateSchedule.Parse("cosine");
        Assert.Equal(1, cos.Factor(0, 100), 1e-12);
        Assert.Equal(0.5, cos.Factor(50, 100), 1e-12);
        Assert.Equal(0.01, LearningRateSchedule.Parse("step:10:0.1").Factor(25, 100), 1e-12);
        Assert.Equal(0.5, LearningRateSchedule.Parse("warmup:4").Factor(1, 100), 1e-12);
        Assert.Throws<ArgumentException>(() => LearningRateSchedule.Parse("sometimes"));
    }

    [Fact]
    public void Mini_batches_cover_each_epoch_and_repeat_with_the_seed()
    {
        double[] Run(ulong seed)
        {
            var net = FiniteNetwork<double>.Create(Architecture.Parse("dense(n=8) > relu > dense(n=1)"), Tangent.Specs.TensorShape.Flat(2),
                new FiniteNetworkOptions { Source = new SeededParameters(1) });
            var x = new Matrix<double>(10, 2, Enumerable.Range(0, 20).Select(i => Math.Sin(i)).ToArray());
            var y = new Matrix<double>(10, 1, Enumerable.Range(0, 10).Select(i => Math.Cos(i)).ToArray());
            var t = new Trainer<double>(new NetworkModel<double>(net), x, y,
                new TrainerOptions { Optimizer = TrainingOptimizer.Sgd, BatchSize = 3, Steps = 7, BatchSeed = seed, LearningRate = 0.05 });
            return Enumerable.Range(0, 7).Select(_ => t.Step()).ToArray();
        }
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }
}
