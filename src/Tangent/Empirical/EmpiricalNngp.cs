using System.Numerics;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Empirical;

/// <summary>
/// The empirical NNGP of a finite network: the covariance of its outputs over a fresh draw of the readout's parameters,
/// given the readout features z(x) (the readout's inputs): K(x, x') = (σ_W m_W)²·z(x)·z(x') + (σ_b m_b)², the same for
/// every output channel. In NTK parameterisation this is W_std²/n·z·z' + b_std², which tends to the analytic NNGP.
/// </summary>
public static class EmpiricalNngp
{
    /// <summary>The empirical NNGP between the rows of <paramref name="x1"/> and <paramref name="x2"/> (or x1 with itself).</summary>
    /// <exception cref="SpecException">The network does not end in a Dense layer on flat features.</exception>
    public static EmpiricalKernel<T> Compute<T>(FiniteNetwork<T> network, Matrix<T> x1, Matrix<T>? x2 = null, bool full = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var readout = network.Readout ?? throw new SpecException("spec error: the empirical NNGP needs a network that ends in a Dense layer on flat features (its readout)");
        var z1 = Features(network, x1);
        var z2 = x2 is null ? null : Features(network, x2);
        int n1 = x1.Rows, n2 = x2?.Rows ?? n1, k = readout.FanIn;
        double sw = readout.Weight.Scale.InitStd * readout.Weight.Scale.Multiplier, sb = readout.Bias.Scale.InitStd * readout.Bias.Scale.Multiplier;
        var gram = new T[n1 * n2];
        if (z2 is null) { LinearAlgebra.Current.SyrkUpper(n1, k, T.CreateTruncating(sw * sw), z1, gram); Mirror.UpperToLower(n1, gram.AsSpan()); }
        else LinearAlgebra.Current.GemmNT(n1, n2, k, T.CreateTruncating(sw * sw), z1, z2, T.Zero, gram);
        T bias = T.CreateTruncating(sb * sb);
        for (int i = 0; i < gram.Length; i++) gram[i] += bias;
        if (!full) return new EmpiricalKernel<T>(n1, n2, readout.FanOut, false, gram);
        int o = readout.FanOut;
        var data = new T[(long)n1 * n2 * o * o];
        for (int i = 0; i < gram.Length; i++)
            for (int u = 0; u < o; u++) data[(long)i * o * o + u * o + u] = gram[i];
        return new EmpiricalKernel<T>(n1, n2, o, true, data);
    }

    /// <summary>The readout's inputs z(x), n x fan_in.</summary>
    private static T[] Features<T>(FiniteNetwork<T> network, Matrix<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.CheckInput(x);
        network.ForwardKeep(x.Data, x.Rows);
        return network.Body.InputOf(network.Body.Layers.Count - 1, x.Data, x.Rows).ToArray();
    }
}
