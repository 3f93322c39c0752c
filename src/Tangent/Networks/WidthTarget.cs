namespace Tangent.Networks;

/// <summary>
/// What the output channel count of a list's last width-choosing layer must be: free (a hidden width: the spec's, or
/// the configured one), the network's readout (the spec's width, or 1 output as the analytic kernels assume), or exactly
/// a given count (a residual branch must give back its input's channels).
/// </summary>
public readonly record struct WidthTarget(WidthTargetKind Kind, int Channels, bool IsWidth)
{
    /// <summary>A hidden width.</summary>
    public static WidthTarget Free => new(WidthTargetKind.Free, 0, true);
    /// <summary>The readout of the network.</summary>
    public static WidthTarget Readout => new(WidthTargetKind.Readout, 0, false);
    /// <summary>Exactly <paramref name="channels"/>; <paramref name="isWidth"/> says whether that count is a hidden width.</summary>
    public static WidthTarget Exact(int channels, bool isWidth) => new(WidthTargetKind.Exact, channels, isWidth);
}

/// <summary>The kinds of <see cref="WidthTarget"/>.</summary>
public enum WidthTargetKind
{
    /// <summary>A hidden width.</summary>
    Free,
    /// <summary>The readout.</summary>
    Readout,
    /// <summary>A fixed count.</summary>
    Exact,
}
