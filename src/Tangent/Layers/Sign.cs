using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// sign(x). T = (2/π) arcsin(c / sqrt(v1 v2)). Its derivative is zero almost everywhere, so, as autodiff of a finite
/// network gives (and neural-tangents does), Ṫ = 0: the NTK of the layers before it does not pass through.
/// </summary>
public sealed class Sign : Activation
{
    /// <inheritdoc />
    public override string TypeName => "Sign";
    /// <inheritdoc />
    public override double Apply(double x) => Math.Sign(x);
    /// <inheritdoc />
    public override double Derivative(double x) => 0;
    /// <inheritdoc />
    public override (double Nngp, double Tdot) Pair(double v1, double v2, double cov) => (2 / Math.PI * Math.Asin(Correlation(v1, v2, cov)), 0);
    /// <inheritdoc />
    public override (double Nngp, double Tdot) Self(double v) => (v > 0 ? 1 : 0, 0);
}
