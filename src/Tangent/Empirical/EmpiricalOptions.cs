namespace Tangent.Empirical;

/// <summary>The two ways of computing an empirical NTK.</summary>
public enum EmpiricalMethod
{
    /// <summary>
    /// Per weight layer, the elementwise product of a Gram matrix of the layer's inputs and one of the cotangents
    /// flowing into its outputs (summed over position pairs for convolutions); per-example Jacobians never exist.
    /// </summary>
    Structured,
    /// <summary>Materialise per-example Jacobians (in chunks of parameters) and contract them: J₁ J₂ᵀ. The reference.</summary>
    Contraction,
}

/// <summary>What to compute in an empirical kernel.</summary>
public sealed record EmpiricalOptions
{
    /// <summary>Structured (fast, default) or Jacobian contraction (reference).</summary>
    public EmpiricalMethod Method { get; init; } = EmpiricalMethod.Structured;

    /// <summary>
    /// True: the full kernel [N1, N2, O, O], Σ_θ ∂f_o(x)/∂θ · ∂f_o'(x')/∂θ. False (default): the output-traced kernel
    /// [N1, N2], the mean over o of the diagonal (neural-tangents' trace_axes convention divided by O, which matches the
    /// per-output-channel analytic kernels).
    /// </summary>
    public bool Full { get; init; }
}
