using System.Numerics;
using System.Numerics.Tensors;
using Tangent.Kernels;
using Tangent.Linalg;
using Tangent.Numerics;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>The two parameterisations of a weight layer's infinite-width kernel.</summary>
public enum Parameterization
{
    /// <summary>h = (W_std/√fan_in)·W x + b_std·b with W, b ~ N(0, 1): the NTK is O(1) at any width.</summary>
    Ntk,
    /// <summary>h = W x + b with W ~ N(0, W_std²/fan_in), b ~ N(0, b_std²): the NTK grows with width.</summary>
    Standard,
}

/// <summary>
/// A fully connected layer acting on the channel axis. Infinite width (Lee et al. 2019, Jacot et al. 2018):
/// NNGP' = W_std² NNGP + b_std²; NTK' = NNGP' + W_std² NTK in NTK parameterisation, and
/// NTK' = fan_in · NNGP + 1 + W_std² NTK in standard parameterisation (the gradients with respect to W and b are then
/// unscaled, as in neural-tangents), where NNGP is the input covariance.
/// </summary>
public sealed class Dense(double wStd = 1, double bStd = 0, int width = 0, Parameterization parameterization = Parameterization.Ntk) : Layer
{
    /// <summary>Weight standard deviation.</summary>
    public double WStd { get; } = wStd;
    /// <summary>Bias standard deviation.</summary>
    public double BStd { get; } = bStd;
    /// <summary>Output width (0: unspecified, which NTK parameterisation does not need at infinite width).</summary>
    public int Width { get; } = width;
    /// <summary>The parameterisation.</summary>
    public Parameterization Parameterization { get; } = parameterization;

    /// <inheritdoc />
    public override string TypeName => "Dense";

    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters
    {
        get
        {
            yield return ("W_std", WStd);
            yield return ("b_std", BStd);
            if (Width > 0) yield return ("width", Width);
            if (Parameterization != Parameterization.Ntk) yield return ("parameterization", "standard");
        }
    }

    internal static Dense FromArgs(LayerArgs args) => new(
        args.Number("W_std", 1, ["w"], LayerArgs.NonNegative),
        args.Number("b_std", 0, ["b"], LayerArgs.NonNegative),
        args.Integer("width", 0, ["n", "out"], min: 1),
        args.Choice("parameterization", "ntk", ["ntk", "standard"], ["param", "p"]) == "ntk" ? Parameterization.Ntk : Parameterization.Standard);

    /// <inheritdoc />
    public override TensorShape OutputShape(TensorShape input) => input.WithChannels(Width);

    /// <inheritdoc />
    public override IFlatKernelOp BindFlatKernel(TensorShape input)
    {
        if (Parameterization == Parameterization.Standard && input.Channels <= 0)
            throw new SpecException($"spec error: Dense with parameterization 'standard' needs the width of its input; give the previous Dense a 'width'");
        return new Op(WStd * WStd, BStd * BStd, Parameterization == Parameterization.Standard ? input.Channels : 0);
    }

    #region Finite network

    /// <inheritdoc />
    public override bool ChoosesWidth => true;

    /// <inheritdoc />
    public override FiniteLayer<T> BindFinite<T>(FiniteContext context) => new FiniteDense<T>(this, context);

    #endregion

    /// <summary>The bound transform; <paramref name="FanIn"/> is used only in standard parameterisation (0 = NTK).</summary>
    internal sealed record Op(double W2, double B2, int FanIn) : IFlatKernelOp
    {
        public void Pairs<T>(PairBlock<T> block) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T w2 = T.CreateTruncating(W2), b2 = T.CreateTruncating(B2), fan = T.CreateTruncating(FanIn);
            for (int i = 0; i < block.Rows; i++)
            {
                var nngp = block.NngpRow(i);
                var ntk = block.NtkRow(i);
                if (!ntk.IsEmpty && FanIn > 0) // standard: ntk' = fan_in · nngp_in + 1 + W² ntk
                {
                    SpanMath.Affine(ntk, w2, T.One);
                    TensorPrimitives.MultiplyAdd<T>(nngp, fan, ntk, ntk);
                }
                SpanMath.Affine(nngp, w2, b2);
                if (!ntk.IsEmpty && FanIn == 0) SpanMath.ScaleAdd(ntk, w2, nngp);
            }
            SpanMath.Affine(block.Var1.AsSpan(0, block.Var1Count), w2, b2);
            SpanMath.Affine(block.Var2.AsSpan(0, block.Cols), w2, b2);
        }

        public void Self(SelfBlock block)
        {
            for (int k = 0; k < block.Count; k++)
            {
                double v = block.Var[k], next = W2 * v + B2;
                if (block.Ntk is { } ntk) ntk[k] = FanIn > 0 ? FanIn * v + 1 + W2 * ntk[k] : next + W2 * ntk[k];
                block.Var[k] = next;
            }
        }
    }
}

#region Finite network

/// <summary>
/// A finite Dense layer on the channel axis (at every position of an image): y = m_W·x Wᵀ + m_b·b with W stored
/// [fan_out, fan_in]; backward dx = m_W·dy W. Its patches are its inputs, so the structured NTK's Gram of inputs is x xᵀ.
/// </summary>
internal sealed class FiniteDense<T> : WeightLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public FiniteDense(Dense spec, FiniteContext context)
        : this(spec, context, context.ResolveWidth(spec.Width, "Dense")) { }

    private FiniteDense(Dense spec, FiniteContext context, int width)
        : base(context, context.Input.WithChannels(width), context.Input.Channels, [width, context.Input.Channels],
               $"Dense at position {context.Path}: [fan_out, fan_in]", context.ParameterizationFor(spec.Parameterization), spec.WStd, spec.BStd) { }

    public override bool FanOutMajor => true;

    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int n)
    {
        int rows = n * Positions;
        LinearAlgebra.Current.GemmNT(rows, FanOut, FanIn, WeightMultiplier, x[..(rows * FanIn)], Weight.Values, T.Zero, y[..(rows * FanOut)]);
        AddBias(y, rows);
    }

    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int n, int m, IWeightGradientSink<T>? sink)
    {
        int rows = n * Positions, cotangentRows = n * m * Positions;
        sink?.Accept(this, x[..(rows * FanIn)], dy[..(cotangentRows * FanOut)], n, m);
        if (!dx.IsEmpty)
            LinearAlgebra.Current.GemmNN(cotangentRows, FanIn, FanOut, WeightMultiplier, dy[..(cotangentRows * FanOut)], Weight.Values, T.Zero, dx[..(cotangentRows * FanIn)]);
    }
}

#endregion
