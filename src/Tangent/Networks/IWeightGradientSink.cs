using System.Numerics;

namespace Tangent.Networks;

/// <summary>
/// Receives, during a backward pass, what every weight layer knows about the gradient of its parameters: its input
/// patches and the cotangents of its output. From these come parameter gradients for training
/// (<see cref="ParameterGradients{T}"/>), per-example Jacobians, and the Gram matrices of the structured empirical NTK.
/// </summary>
public interface IWeightGradientSink<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Called once per weight layer per backward pass. <paramref name="patches"/> holds n·P rows of the layer's fan-in
    /// (the input itself for Dense, im2col patches for Conv) and <paramref name="dy"/> n·m·P rows of its output channels,
    /// ordered (example, cotangent, position). Both spans are valid only during the call.
    /// </summary>
    void Accept(WeightLayer<T> layer, ReadOnlySpan<T> patches, ReadOnlySpan<T> dy, int n, int m);
}
