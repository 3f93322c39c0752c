using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Specs;
using Tangent.Training;

namespace Tangent.Experiments.Tasks;

/// <summary>
/// Regression on a random wide teacher: inputs uniform on the sphere of radius √d in d = 16 dimensions, target the scalar
/// output of a random two-hidden-layer tanh network of width 512 (NTK parameterisation, its own seed stream), rescaled to
/// unit variance over the drawn set. Smooth but not linear, so a kernel fits it well and feature learning can help.
/// </summary>
public sealed class TeacherTask : ITrainingTask
{
    /// <summary>Input dimension d.</summary>
    public const int Dimension = 16;
    /// <summary>The teacher's spec.</summary>
    public const string TeacherArchitecture = "dense(n=512,w=1.5,b=0.1) > tanh > dense(n=512,w=1.5,b=0.1) > tanh > dense(w=1)";

    /// <inheritdoc />
    public string Name => "teacher";
    /// <inheritdoc />
    public string Description => $"regression on a random width-512 tanh teacher, inputs on the sphere in {Dimension} dimensions";
    /// <inheritdoc />
    public TensorShape InputShape => TensorShape.Flat(Dimension);
    /// <inheritdoc />
    public int OutputCount => 1;
    /// <inheritdoc />
    public LossKind DefaultLoss => LossKind.Mse;
    /// <inheritdoc />
    /// <remarks>
    /// A two-layer network (one hidden layer), the setting of the lazy-versus-rich literature (Chizat &amp; Bach; Mei,
    /// Montanari &amp; Nguyen): there ‖θ₀‖ grows like √n, so in NTK parameterisation ‖θ_T − θ₀‖/‖θ₀‖ falls like 1/√n.
    /// </remarks>
    public string DefaultArchitecture => "dense(w=1.41,b=0.1) > relu > dense(w=1)";
    /// <inheritdoc />
    public int DefaultTrainCount => 256;
    /// <inheritdoc />
    public int DefaultTestCount => 256;
    /// <inheritdoc />
    public int MaxExamples => int.MaxValue;

    /// <inheritdoc />
    public TaskData Generate(int trainCount, int testCount, ulong seed)
    {
        int n = trainCount + testCount;
        var x = new Matrix<double>(n, Dimension);
        SeededNormal.Fill<double>(x.Data, SeededNormal.Stream(seed, "teacher.inputs"), 1);
        for (int i = 0; i < n; i++)
        {
            var row = x.Row(i);
            double norm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares<double>(row));
            System.Numerics.Tensors.TensorPrimitives.Multiply<double>(row, Math.Sqrt(Dimension) / norm, row);
        }
        var teacher = FiniteNetwork<double>.Create(Architecture.Parse(TeacherArchitecture), InputShape,
            new FiniteNetworkOptions { Parameterization = NetworkParameterization.Ntk, Source = new SeededParameters(SeededNormal.Stream(seed, "teacher.weights")) });
        var y = teacher.Forward(x);
        double mean = y.Data.Average(), std = Math.Sqrt(y.Data.Sum(v => (v - mean) * (v - mean)) / n);
        for (int i = 0; i < n; i++) y.Data[i] = (y.Data[i] - mean) / std;
        return TaskSplit.Split(x, y, trainCount);
    }
}
