namespace Tangent.Specs;

/// <summary>
/// The shape of one example as it flows through a network: spatial dimensions (none for flat inputs, one or two
/// for sequences and images, NHWC order) and a channel count. <see cref="Channels"/> is 0 when a layer's width is
/// left unspecified, which infinite-width kernels in NTK parameterisation do not need.
/// </summary>
public sealed record TensorShape(int[] Spatial, int Channels)
{
    /// <summary>A flat vector of <paramref name="dim"/> features.</summary>
    public static TensorShape Flat(int dim) => new([], dim);

    /// <summary>True for flat (fully connected) data.</summary>
    public bool IsFlat => Spatial.Length == 0;

    /// <summary>Number of spatial positions (1 for flat data).</summary>
    public int Positions => Spatial.Aggregate(1, (a, b) => a * b);

    /// <summary>The same spatial layout with another channel count.</summary>
    public TensorShape WithChannels(int channels) => this with { Channels = channels };

    /// <inheritdoc />
    public override string ToString() => IsFlat ? $"[{Channels}]" : $"[{string.Join("x", Spatial)}x{Channels}]";

    /// <inheritdoc />
    public bool Equals(TensorShape? other) => other is not null && Channels == other.Channels && Spatial.AsSpan().SequenceEqual(other.Spatial);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Channels, Spatial.Length);
}
