using System.Numerics;
using System.Numerics.Tensors;
using Tangent.Specs;

namespace Tangent.Networks;

/// <summary>
/// A layer computing, at each of its P output positions, y_p = m_W · W · patch_p + m_b · b, where patch_p holds the
/// K = fan-in inputs it reads (Dense: the input channels at position p; Conv: the window around p) and m_W, m_b are the
/// parameterisation's multipliers. The gradient of y_{p,c} with respect to W_{c,k} is m_W · patch_{p,k}, so every
/// gradient-based quantity (training step, per-example Jacobian, structured NTK) needs only the patches and the output
/// cotangents, which this class hands to an <see cref="IWeightGradientSink{T}"/>.
/// </summary>
public abstract class WeightLayer<T> : FiniteLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer and draws (or loads) its parameters.</summary>
    protected WeightLayer(FiniteContext context, TensorShape output, int fanIn, int[] weightShape, string weightLayout,
        NetworkParameterization parameterization, double wStd, double bStd)
        : base(context, output)
    {
        FanIn = fanIn;
        FanOut = output.Channels;
        Positions = output.Positions;
        Role = context.Role;
        Parameterization = parameterization;
        var (w, b) = ParameterizationRules.Scales(parameterization, Role, fanIn, FanOut, wStd, bStd);
        Weight = new ParameterTensor<T>(context.Path + ".weight", weightShape, w, weightLayout);
        Bias = new ParameterTensor<T>(context.Path + ".bias", [FanOut], b, $"{weightLayout.Split(':')[0]}: [fan_out]");
        context.Source.Fill(Weight);
        context.Source.Fill(Bias);
        OutputIsWidth = context.Target.IsWidth;
    }

    /// <summary>K: inputs per output position.</summary>
    public int FanIn { get; }
    /// <summary>Output channels.</summary>
    public int FanOut { get; }
    /// <summary>P: output positions per example (1 for a Dense layer on flat data).</summary>
    public int Positions { get; }
    /// <summary>The layer's role for μP (input, hidden or output).</summary>
    public WeightRole Role { get; }
    /// <summary>The parameterisation the layer was built with.</summary>
    public NetworkParameterization Parameterization { get; }
    /// <summary>The weight tensor.</summary>
    public ParameterTensor<T> Weight { get; }
    /// <summary>The bias tensor.</summary>
    public ParameterTensor<T> Bias { get; }

    /// <summary>
    /// True when the weight is stored [fan_out, fan_in] (Dense), false when [fan_in, fan_out] (Conv's [fh, fw, c_in, c_out]).
    /// </summary>
    public abstract bool FanOutMajor { get; }

    /// <summary>m_W, the factor the weights are multiplied by in the forward pass.</summary>
    public T WeightMultiplier => T.CreateTruncating(Weight.Scale.Multiplier);
    /// <summary>m_b, the factor the bias is multiplied by in the forward pass.</summary>
    public T BiasMultiplier => T.CreateTruncating(Bias.Scale.Multiplier);

    /// <inheritdoc />
    public override IEnumerable<ParameterTensor<T>> Parameters => [Weight, Bias];
    /// <inheritdoc />
    public override IEnumerable<WeightLayer<T>> WeightLayers => [this];

    /// <summary>Adds m_b · b to each of <paramref name="rows"/> rows of <paramref name="y"/>.</summary>
    protected void AddBias(Span<T> y, int rows)
    {
        T mb = BiasMultiplier;
        if (T.IsZero(mb)) return;
        var b = Bias.Values.AsSpan();
        for (int r = 0; r < rows; r++) TensorPrimitives.MultiplyAdd<T>(b, mb, y.Slice(r * FanOut, FanOut), y.Slice(r * FanOut, FanOut));
    }
}

/// <summary>Where a weight layer sits, which decides its μP scaling (Yang &amp; Hu, Tensor Programs IV/V).</summary>
public enum WeightRole
{
    /// <summary>Reads the data: fan-in fixed, fan-out a width.</summary>
    Input,
    /// <summary>Width to width.</summary>
    Hidden,
    /// <summary>The readout: width to a fixed output dimension.</summary>
    Output,
}
