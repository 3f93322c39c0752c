namespace Tangent.Dynamics;

/// <summary>Which kernel governs training of an infinite-width network.</summary>
public enum KernelKind
{
    /// <summary>The NNGP: only the readout layer is trained (equivalently, Bayesian inference with the NNGP prior as t → ∞).</summary>
    Nngp,

    /// <summary>The NTK: all layers are trained by gradient descent.</summary>
    Ntk,
}
