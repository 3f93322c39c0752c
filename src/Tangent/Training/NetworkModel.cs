using System.Numerics;
using System.Numerics.Tensors;
using Tangent.Linalg;
using Tangent.Networks;

namespace Tangent.Training;

/// <summary>
/// A finite network as a trainable model: g(x) = f(x; θ), or with an output scale α the centred, scaled model of
/// Chizat, Oyallon &amp; Bach (2019), g(x) = α·(f(x; θ) − f(x; θ₀)), whose f(x; θ₀) comes from a frozen copy taken when
/// the model is built. Trains the network's own tensors in place.
/// </summary>
public sealed class NetworkModel<T> : ITrainableModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ParameterGradients<T> _gradients;
    private readonly T[][] _gradientList;
    private Matrix<T>? _lastRaw;

    /// <summary>Wraps <paramref name="network"/>; <paramref name="outputScale"/> α turns on centring and scaling.</summary>
    public NetworkModel(FiniteNetwork<T> network, double? outputScale = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (outputScale is { } a && (!(a > 0) || !double.IsFinite(a))) throw new ArgumentException($"the output scale α must be positive and finite, got {a}");
        Network = network;
        OutputScale = outputScale;
        Initial = outputScale is null ? null : NetworkCopy.Clone(network);
        _gradients = new ParameterGradients<T>(network);
        _gradientList = network.Parameters.Select(p => _gradients[p]).ToArray();
    }

    /// <summary>The trained network.</summary>
    public FiniteNetwork<T> Network { get; }

    /// <summary>The frozen network at θ₀ when an output scale is set, else null.</summary>
    public FiniteNetwork<T>? Initial { get; }

    /// <inheritdoc />
    public string Name => "network";
    /// <inheritdoc />
    public int OutputCount => Network.OutputCount;
    /// <inheritdoc />
    public double? OutputScale { get; }
    /// <inheritdoc />
    public IReadOnlyList<ParameterTensor<T>> Parameters => Network.Parameters;
    /// <inheritdoc />
    public IReadOnlyList<T[]> Gradients => _gradientList;

    /// <inheritdoc />
    public Matrix<T> Predict(Matrix<T> x) => Forward(x);

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> batch)
    {
        var raw = Network.Forward(batch);
        _lastRaw = raw;
        if (Initial is null) return raw;
        var initial = Initial.Forward(batch);
        var g = new Matrix<T>(raw.Rows, raw.Cols);
        TensorPrimitives.Subtract<T>(raw.Data, initial.Data, g.Data);
        TensorPrimitives.Multiply<T>(g.Data, T.CreateTruncating(OutputScale!.Value), g.Data);
        return g;
    }

    /// <inheritdoc />
    public void Backward(Matrix<T> batch, Matrix<T> cotangents)
    {
        if (_lastRaw is null || _lastRaw.Rows != batch.Rows) throw new InvalidOperationException("Backward needs a Forward on the same batch first");
        _gradients.Clear();
        var dy = cotangents.Data;
        if (OutputScale is { } alpha)
        {
            dy = new T[dy.Length];
            TensorPrimitives.Multiply<T>(cotangents.Data, T.CreateTruncating(alpha), dy);
        }
        Network.Backward(batch.Data, _lastRaw.Data, dy, batch.Rows, 1, _gradients);
    }
}
