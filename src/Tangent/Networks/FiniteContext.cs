using System.Numerics;
using Tangent.Layers;
using Tangent.Specs;

namespace Tangent.Networks;

/// <summary>
/// Everything a layer needs to build its finite network: its input shape (channels resolved), where it sits (its name
/// prefix and μP role), the width it must produce if it chooses one, the options and the parameter source.
/// </summary>
public sealed class FiniteContext
{
    internal FiniteContext(TensorShape input, bool inputIsWidth, WidthTarget target, string path, FiniteNetworkOptions options)
    {
        Input = input;
        InputIsWidth = inputIsWidth;
        Target = target;
        Path = path;
        Options = options;
    }

    /// <summary>Shape of one input example, channels resolved.</summary>
    public TensorShape Input { get; }
    /// <summary>Whether the input channel count is a hidden width (false for the data and after a readout).</summary>
    public bool InputIsWidth { get; }
    /// <summary>The output channel count demanded of this layer, if it chooses one (see <see cref="Layer.ChoosesWidth"/>).</summary>
    public WidthTarget Target { get; }
    /// <summary>The layer's position in the spec, e.g. <c>3</c>, or <c>1.2</c> inside a combinator; parameter names start with it.</summary>
    public string Path { get; }
    /// <summary>The build options.</summary>
    public FiniteNetworkOptions Options { get; }
    /// <summary>Where parameter values come from.</summary>
    public IParameterSource Source => Options.Source;

    /// <summary>The μP role of a weight layer here: reads the data (input), width to width (hidden), or width to a fixed dimension (output).</summary>
    public WeightRole Role => !InputIsWidth ? WeightRole.Input : Target.IsWidth ? WeightRole.Hidden : WeightRole.Output;

    /// <summary>The parameterisation of a weight layer whose spec says <paramref name="spec"/>, unless the options override it.</summary>
    public NetworkParameterization ParameterizationFor(Parameterization spec) =>
        Options.Parameterization ?? (spec == Parameterization.Standard ? NetworkParameterization.Standard : NetworkParameterization.Ntk);

    /// <summary>The output channel count of a width-choosing layer whose spec gives <paramref name="specWidth"/> (0: unspecified).</summary>
    /// <exception cref="SpecException">No width is known, or the spec contradicts the target.</exception>
    public int ResolveWidth(int specWidth, string layer)
    {
        switch (Target.Kind)
        {
            case WidthTargetKind.Readout:
                return specWidth > 0 ? specWidth : 1;
            case WidthTargetKind.Exact:
                if (specWidth > 0 && specWidth != Target.Channels && !(Options.OverrideWidths && Target.IsWidth))
                    throw new SpecException($"spec error: {layer} at position {Path} has width {specWidth}, but it ends a branch that must give {Target.Channels} channels (the input's, which the other branch keeps)");
                return Target.Channels;
            default:
                if (Options.OverrideWidths && Options.Width > 0) return Options.Width;
                if (specWidth > 0) return specWidth;
                if (Options.Width > 0) return Options.Width;
                throw new SpecException($"spec error: {layer} at position {Path} has no width; give it one in the spec (width=..., channels=...) or pass --width");
        }
    }

    /// <summary>Binds a list of layers (a combinator's branch) reading <paramref name="input"/>, names prefixed by this layer's path.</summary>
    public FiniteSequence<T> BindBlock<T>(Architecture block, TensorShape input, bool inputIsWidth, WidthTarget target, string? subPath = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        FiniteSequence<T>.Bind(block.Layers, input, inputIsWidth, target, subPath is null ? Path + "." : Path + "." + subPath + ".", Options);
}
