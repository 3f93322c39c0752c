namespace Tangent.Networks;

/// <summary>
/// The scaling of weights and biases under each <see cref="NetworkParameterization"/>, as a function of the layer's
/// role, fan-in and fan-out (for convolutions fan-in counts the whole window, C·fh·fw).
/// </summary>
/// <remarks>
/// μP follows Tensor Programs V, Table 3, with W_std and b_std as the constants of the variances:
/// <code>
///                 input weights, all biases     hidden weights        output weights
///   init. var.    W_std²/fan_in (b: b_std²)      W_std²/fan_in         W_std²/fan_in²
///   SGD lr        η·fan_out                      η                     η/fan_in
///   Adam lr       η                              η/fan_in              η/fan_in
/// </code>
/// Mean-field scales the readout by W_std/fan_in (f = (1/n) Σ a_i φ(h_i) in a two-layer network) and all other layers as
/// NTK; under SGD every learning rate is multiplied by the readout's fan-in n so that each unit moves by O(1) (Mei,
/// Montanari &amp; Nguyen 2018); Adam's updates are already O(1) per parameter. NTK and standard use η for every tensor.
/// </remarks>
public static class ParameterizationRules
{
    /// <summary>The (weight, bias) scales of a weight layer.</summary>
    public static (ParameterScale Weight, ParameterScale Bias) Scales(NetworkParameterization p, WeightRole role, int fanIn, int fanOut, double wStd, double bStd)
    {
        double k = fanIn, sqrtK = Math.Sqrt(fanIn);
        switch (p)
        {
            case NetworkParameterization.Ntk:
                return (new(wStd / sqrtK, 1, 1, 1), new(bStd, 1, 1, 1));
            case NetworkParameterization.Standard:
                return (new(1, wStd / sqrtK, 1, 1), new(1, bStd, 1, 1));
            case NetworkParameterization.Mup:
                return role switch
                {
                    WeightRole.Input => (new(1, wStd / sqrtK, fanOut, 1), new(1, bStd, fanOut, 1)),
                    WeightRole.Hidden => (new(1, wStd / sqrtK, 1, 1 / k), new(1, bStd, fanOut, 1)),
                    _ => (new(1, wStd / k, 1 / k, 1 / k), new(1, bStd, fanOut, 1)),
                };
            case NetworkParameterization.MeanField:
                // The SGD factor n is the readout's fan-in, which the other layers do not know: FiniteNetwork sets it
                // on every tensor once the readout is built.
                return role == WeightRole.Output
                    ? (new(wStd / k, 1, k, 1), new(bStd, 1, k, 1))
                    : (new(wStd / sqrtK, 1, 1, 1), new(bStd, 1, 1, 1));
            default:
                throw new ArgumentOutOfRangeException(nameof(p), p, null);
        }
    }
}
