using Tangent.Dynamics;
using Tangent.Empirical;
using Tangent.Experiments.Tasks;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Training;

namespace Tangent.Tests.Training;

/// <summary>
/// The linearised model trained by the trainer's gradient descent on MSE against the closed-form discrete dynamics of
/// <see cref="GradientDescentMse"/> with the empirical NTK at θ₀ (train and test outputs), and the lazy limit α → ∞.
/// </summary>
public class LinearizedModelTests
{
    private static (FiniteNetwork<double> Net, TaskData Data) Setup(int width, int outputs = 1, string param = "ntk")
    {
        var data = new TeacherTask().Generate(24, 10, 3);
        string arch = $"dense(n={width},w=1.41,b=0.1) > relu > dense(n={width},w=1.41,b=0.1) > relu > dense(n={outputs})";
        var net = FiniteNetwork<double>.Create(Architecture.Parse(arch), data.XTrain.Cols is var d ? Tangent.Specs.TensorShape.Flat(d) : default,
            new FiniteNetworkOptions { Parameterization = NetworkParameterizationNames.Parse(param), Source = new SeededParameters(11) });
        return (net, data);
    }

    [Fact]
    public void Linearized_gradient_descent_matches_the_closed_form_with_the_empirical_ntk()
    {
        var (net, data) = Setup(48);
        var lin = new LinearizedModel<double>(net);
        Assert.True(lin.IsExact);
        const double lr = 0.5;
        const int steps = 40;
        var trainer = new Trainer<double>(lin, data.XTrain, data.YTrain, new TrainerOptions { LearningRate = lr, Steps = steps });
        trainer.Run();

        var k = EmpiricalNtk.Compute(net, data.XTrain).Traced();
        var kTest = EmpiricalNtk.Compute(net, data.XTest, data.XTrain).Traced();
        var closed = new GradientDescentMse(k, data.YTrain, lr).Predict(TrainingTimes.Steps([steps]), net.Forward(data.XTrain), kTest, net.Forward(data.XTest));
        var train = lin.Predict(data.XTrain);
        var test = lin.Predict(data.XTest);
        var f0 = net.Forward(data.XTrain);
        double moved = train.Data.Zip(f0.Data).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(moved > 0.1, $"training barely moved the outputs ({moved})");
        for (int i = 0; i < train.Data.Length; i++) Assert.Equal(closed.Train.At(0).Data[i], train.Data[i], 1e-9);
        for (int i = 0; i < test.Data.Length; i++) Assert.Equal(closed.Test!.At(0).Data[i], test.Data[i], 1e-9);
    }

    [Fact]
    public void A_large_output_scale_makes_the_network_follow_its_linearisation()
    {
        double Gap(double alpha)
        {
            var (net, data) = Setup(32);
            var model = new NetworkModel<double>(net, alpha);
            var lin = new LinearizedModel<double>(net, alpha);
            var options = new TrainerOptions { LearningRate = 0.5, Steps = 30 };
            new Trainer<double>(model, data.XTrain, data.YTrain, options).Run();
            new Trainer<double>(lin, data.XTrain, data.YTrain, options).Run();
            var (a, b) = (model.Predict(data.XTest), lin.Predict(data.XTest));
            return Math.Sqrt(a.Data.Zip(b.Data).Sum(p => (p.First - p.Second) * (p.First - p.Second)));
        }
        double g1 = Gap(1), g10 = Gap(10), g100 = Gap(100);
        // The gap is O(1/α) (Chizat, Oyallon & Bach 2019): tenfold α, about tenfold smaller.
        Assert.True(g10 < g1 / 4 && g100 < g10 / 4, $"gaps {g1}, {g10}, {g100}");
        Assert.True(g1 > 1e-4, $"at α = 1 the network should leave its linearisation (gap {g1})");
    }

    [Fact]
    public void Centred_model_starts_at_zero_and_the_linearisation_starts_at_the_network()
    {
        var (net, data) = Setup(16, outputs: 3);
        var f0 = net.Forward(data.XTest);
        var lin = new LinearizedModel<double>(net);
        Assert.Equal(f0.Data, lin.Predict(data.XTest).Data);
        var centred = new NetworkModel<double>(net, 5);
        Assert.All(centred.Predict(data.XTest).Data, v => Assert.Equal(0, v));
    }
}
