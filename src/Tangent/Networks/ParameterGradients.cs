using System.Numerics;
using System.Numerics.Tensors;
using Tangent.Linalg;

namespace Tangent.Networks;

/// <summary>
/// Accumulates the gradient of Σ_examples ⟨dy, f(x)⟩ with respect to every parameter over backward passes with one
/// cotangent per example (m = 1), as a trainer needs: dW = m_W·Σ_p dy_pᵀ patch_p (one GEMM), db = m_b·Σ_p dy_p.
/// </summary>
public sealed class ParameterGradients<T> : IWeightGradientSink<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<ParameterTensor<T>, T[]> _gradients = new(ReferenceEqualityComparer.Instance);

    /// <summary>Gradients for every parameter of <paramref name="network"/>, zero to start with.</summary>
    public ParameterGradients(FiniteNetwork<T> network)
    {
        foreach (var p in network.Parameters) _gradients[p] = new T[p.Values.Length];
    }

    /// <summary>The accumulated gradient of <paramref name="tensor"/>, laid out as its values.</summary>
    public T[] this[ParameterTensor<T> tensor] => _gradients[tensor];

    /// <summary>Sets every gradient to zero.</summary>
    public void Clear()
    {
        foreach (var g in _gradients.Values) Array.Clear(g);
    }

    /// <inheritdoc />
    public void Accept(WeightLayer<T> layer, ReadOnlySpan<T> patches, ReadOnlySpan<T> dy, int n, int m)
    {
        if (m != 1) throw new ArgumentException("parameter gradients need one cotangent per example", nameof(m));
        int rows = n * layer.Positions;
        var dw = _gradients[layer.Weight];
        if (layer.FanOutMajor) LinearAlgebra.Current.GemmTN(layer.FanOut, layer.FanIn, rows, layer.WeightMultiplier, dy, patches, T.One, dw);
        else LinearAlgebra.Current.GemmTN(layer.FanIn, layer.FanOut, rows, layer.WeightMultiplier, patches, dy, T.One, dw);
        var db = _gradients[layer.Bias].AsSpan();
        T mb = layer.BiasMultiplier;
        for (int r = 0; r < rows; r++) TensorPrimitives.MultiplyAdd<T>(dy.Slice(r * layer.FanOut, layer.FanOut), mb, db, db);
    }
}
