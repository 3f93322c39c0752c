using System.Numerics;

namespace Tangent.Networks;

/// <summary>
/// One named parameter tensor θ of a finite network (<c>{layer_index}.weight</c>, <c>{layer_index}.bias</c>), stored
/// row-major in the shape of the weights file (Dense weight [fan_out, fan_in], Conv weight [fh, fw, c_in, c_out]),
/// with the scaling its parameterisation gives it. Gradients and empirical NTKs are taken with respect to these values.
/// </summary>
public sealed class ParameterTensor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A zero tensor.</summary>
    public ParameterTensor(string name, int[] shape, ParameterScale scale, string? layout = null)
    {
        Name = name;
        Layout = layout;
        Shape = shape;
        Scale = scale;
        Values = new T[shape.Aggregate(1, (a, b) => checked(a * b))];
    }

    /// <summary>The tensor's name in weights files.</summary>
    public string Name { get; }
    /// <summary>The tensor's shape in weights files.</summary>
    public int[] Shape { get; }
    /// <summary>What the axes mean, for messages (e.g. <c>Dense at position 2: [fan_out, fan_in]</c>), or null.</summary>
    public string? Layout { get; }
    /// <summary>The values, row-major.</summary>
    public T[] Values { get; }
    /// <summary>Forward multiplier, initial standard deviation and learning-rate factors.</summary>
    public ParameterScale Scale { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}

/// <summary>
/// How a parameterisation treats one parameter tensor θ: the layer uses <see cref="Multiplier"/>·θ, θ starts as
/// N(0, <see cref="InitStd"/>²), and a trainer with base learning rate η updates θ with η·<see cref="SgdLearningRate"/>
/// (SGD) or η·<see cref="AdamLearningRate"/> (Adam). This is the abc-parameterisation of Yang &amp; Hu (2021) as data.
/// </summary>
/// <param name="Multiplier">Forward-pass factor on the tensor.</param>
/// <param name="InitStd">Standard deviation of the initial values.</param>
/// <param name="SgdLearningRate">Factor on the base learning rate under SGD.</param>
/// <param name="AdamLearningRate">Factor on the base learning rate under Adam (and other scale-invariant optimisers).</param>
public readonly record struct ParameterScale(double Multiplier, double InitStd, double SgdLearningRate, double AdamLearningRate)
{
    /// <summary>The learning-rate factor for <paramref name="optimizer"/>.</summary>
    public double LearningRate(OptimizerKind optimizer) => optimizer == OptimizerKind.Adam ? AdamLearningRate : SgdLearningRate;
}

/// <summary>The two optimiser families whose learning rates μP scales differently.</summary>
public enum OptimizerKind
{
    /// <summary>(Stochastic) gradient descent, with or without momentum.</summary>
    Sgd,
    /// <summary>Adam and its relatives (update size independent of gradient scale).</summary>
    Adam,
}
