namespace Tangent.Networks;

/// <summary>How to build a finite network from a spec.</summary>
public sealed record FiniteNetworkOptions
{
    /// <summary>
    /// The parameterisation of every weight layer; null keeps each layer's own (the spec's <c>parameterization</c> key,
    /// NTK by default).
    /// </summary>
    public NetworkParameterization? Parameterization { get; init; }

    /// <summary>Hidden width for layers whose spec leaves it unspecified (<c>--width</c>); 0: none, so every hidden layer must give one.</summary>
    public int Width { get; init; }

    /// <summary>When true, <see cref="Width"/> replaces every hidden width, specified or not (width sweeps). Readouts keep theirs.</summary>
    public bool OverrideWidths { get; init; }

    /// <summary>Where the parameter values come from; default: seed 0.</summary>
    public IParameterSource Source { get; init; } = new SeededParameters(0);
}
