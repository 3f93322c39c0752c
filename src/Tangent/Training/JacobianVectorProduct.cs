using System.Numerics;
using System.Numerics.Tensors;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Networks;

namespace Tangent.Training;

/// <summary>
/// J(x)·v = d/dε f(x; θ + εv) at ε = 0 for a finite network, without forming J: forward-mode differentiation layer by
/// layer, one pass costing about three forward passes.
/// </summary>
/// <remarks>
/// Rules, layer by layer (ẋ is the tangent of a layer's input, v_W, v_b those of its parameters):
/// <list type="bullet">
/// <item>weight layer y = m_W·W·patch + m_b·b is bilinear, so ẏ = m_W·W·patch(ẋ) + (m_W·v_W·patch(x) + m_b·v_b): the
/// layer's own forward pass once with the bias zeroed on ẋ and once with (W, b) replaced by (v_W, v_b) on x;</item>
/// <item>elementwise activation: ẏ = φ'(x) ⊙ ẋ, which is its backward pass (its Jacobian is diagonal, hence symmetric);</item>
/// <item>Flatten, average/sum pooling, global pooling are linear: ẏ = layer(ẋ).</item>
/// </list>
/// Networks with other layers (Residual, Product, LayerNorm) use the central difference with Richardson extrapolation,
/// (4·D(h/2) − D(h))/3 with D(h) = (f(θ + hv) − f(θ − hv))/(2h), accurate to O(h⁴) (<see cref="IsExact"/> tells which).
/// </remarks>
public sealed class JacobianVectorProduct<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly FiniteNetwork<T> _network;
    private readonly Dictionary<ParameterTensor<T>, int> _index = new(ReferenceEqualityComparer.Instance);
    private readonly T[][] _saved;
    private T[][] _tangents = [];            // per layer: the tangent of its output (reused between calls)
    private T[]? _part, _output;

    /// <summary>Prepares J·v for <paramref name="network"/> at its current parameters (which the product leaves unchanged).</summary>
    public JacobianVectorProduct(FiniteNetwork<T> network)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        for (int i = 0; i < network.Parameters.Count; i++) _index[network.Parameters[i]] = i;
        _saved = network.Parameters.Select(p => new T[p.Values.Length]).ToArray();
        IsExact = network.Body.Layers.All(Supported);
    }

    /// <summary>True when every layer has an exact forward-mode rule; false when the finite-difference fallback is used.</summary>
    public bool IsExact { get; }

    /// <summary>
    /// J(x)·v for the rows of <paramref name="x"/>, with <paramref name="tangent"/> aligned with the network's parameters
    /// (one array per tensor, same length). Returns n x O.
    /// </summary>
    public Matrix<T> Compute(Matrix<T> x, IReadOnlyList<T[]> tangent)
    {
        _network.CheckInput(x);
        if (tangent.Count != _network.Parameters.Count) throw new ArgumentException($"the tangent has {tangent.Count} tensors, the network {_network.Parameters.Count}");
        for (int i = 0; i < tangent.Count; i++)
            if (tangent[i].Length != _network.Parameters[i].Values.Length) throw new ArgumentException($"tangent of {_network.Parameters[i].Name} has {tangent[i].Length} values, the tensor {_network.Parameters[i].Values.Length}");
        var result = new Matrix<T>(x.Rows, _network.OutputCount);
        if (IsExact) Exact(x, tangent, result.Data);
        else FiniteDifference(x, tangent, result.Data);
        return result;
    }

    private static bool Supported(FiniteLayer<T> layer) =>
        layer is WeightLayer<T> or FiniteActivation<T> or FiniteFlatten<T> or FiniteGlobalPool<T> or FinitePool<T>;

    private void Exact(Matrix<T> x, IReadOnlyList<T[]> tangent, Span<T> result)
    {
        int n = x.Rows;
        var body = _network.Body;
        if (_tangents.Length != body.Layers.Count) _tangents = new T[body.Layers.Count][];
        var output = Scratch(ref _output, n * _network.OutputCount);
        body.Forward(x.Data, output, n);               // intermediate activations at θ for every layer's input
        T[]? dx = null;                                // null: the input's tangent is zero (the data does not move)
        int dxLength = 0;
        for (int i = 0; i < body.Layers.Count; i++)
        {
            var layer = body.Layers[i];
            var input = body.InputOf(i, x.Data, n);
            int length = n * layer.OutputSize;
            var dy = Scratch(ref _tangents[i], length);
            dy.AsSpan(0, length).Clear();
            switch (layer)
            {
                case WeightLayer<T> w:
                    WeightLayerTangent(w, input, dx, tangent, dy, n);
                    break;
                case FiniteActivation<T> a:
                    if (dx is not null) a.Backward(input, ReadOnlySpan<T>.Empty, dx.AsSpan(0, dxLength), dy.AsSpan(0, length), n, 1, null);
                    break;
                default:                               // linear, parameter-free
                    if (dx is not null) layer.Forward(dx.AsSpan(0, dxLength), dy.AsSpan(0, length), n);
                    break;
            }
            if (dx is not null || layer is WeightLayer<T>) { dx = dy; dxLength = length; }
        }
        if (dx is null) result.Clear(); else dx.AsSpan(0, result.Length).CopyTo(result);
    }

    private static T[] Scratch(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new T[length];
        return buffer;
    }

    private void WeightLayerTangent(WeightLayer<T> w, ReadOnlySpan<T> input, T[]? dx, IReadOnlyList<T[]> tangent, T[] dy, int n)
    {
        var (wi, bi) = (_index[w.Weight], _index[w.Bias]);
        // Parameter part: the layer's forward with (W, b) := (v_W, v_b).
        w.Weight.Values.CopyTo(_saved[wi], 0);
        w.Bias.Values.CopyTo(_saved[bi], 0);
        try
        {
            tangent[wi].CopyTo(w.Weight.Values, 0);
            tangent[bi].CopyTo(w.Bias.Values, 0);
            int length = n * w.OutputSize;
            w.Forward(input, dy.AsSpan(0, length), n);
            if (dx is not null)
            {
                // Input part: W·patch(ẋ) with the bias zeroed.
                _saved[wi].CopyTo(w.Weight.Values, 0);
                Array.Clear(w.Bias.Values);
                var part = Scratch(ref _part, length).AsSpan(0, length);
                w.Forward(dx.AsSpan(0, n * w.InputSize), part, n);
                TensorPrimitives.Add<T>(dy.AsSpan(0, length), part, dy.AsSpan(0, length));
            }
        }
        finally
        {
            _saved[wi].CopyTo(w.Weight.Values, 0);
            _saved[bi].CopyTo(w.Bias.Values, 0);
        }
    }

    private void FiniteDifference(Matrix<T> x, IReadOnlyList<T[]> tangent, Span<T> result)
    {
        var ps = _network.Parameters;
        double thetaNorm = 0, vNorm = 0;
        for (int i = 0; i < ps.Count; i++)
        {
            ps[i].Values.CopyTo(_saved[i], 0);
            thetaNorm += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(ps[i].Values));
            vNorm += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(tangent[i]));
        }
        if (vNorm == 0) { result.Clear(); return; }
        // Step relative to the parameter scale: large enough for round-off, small enough for the O(h⁴) truncation.
        double eps = typeof(T) == typeof(float) ? 1e-2 : 1e-3;
        double h = eps * Math.Max(Math.Sqrt(thetaNorm), 1) / Math.Sqrt(vNorm);
        try
        {
            var d1 = CentralDifference(x, tangent, h);
            var d2 = CentralDifference(x, tangent, h / 2);
            for (int k = 0; k < result.Length; k++) result[k] = T.CreateTruncating((4 * d2[k] - d1[k]) / 3);
        }
        finally
        {
            for (int i = 0; i < ps.Count; i++) _saved[i].CopyTo(ps[i].Values, 0);
        }
    }

    private double[] CentralDifference(Matrix<T> x, IReadOnlyList<T[]> tangent, double h)
    {
        var ps = _network.Parameters;
        void Shift(double s)
        {
            for (int i = 0; i < ps.Count; i++) TensorPrimitives.MultiplyAdd<T>(tangent[i], T.CreateTruncating(s), _saved[i], ps[i].Values);
        }
        Shift(h);
        var plus = _network.Forward(x);
        Shift(-h);
        var minus = _network.Forward(x);
        var d = new double[plus.Data.Length];
        for (int k = 0; k < d.Length; k++) d[k] = (double.CreateTruncating(plus.Data[k]) - double.CreateTruncating(minus.Data[k])) / (2 * h);
        return d;
    }
}
