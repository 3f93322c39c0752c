using Tangent.Specs;
using static MathNet.Numerics.SpecialFunctions;

namespace Tangent.Layers;

/// <summary>
/// The exact GELU, φ(x) = x Φ(x). Writing φ(x) = x/2 + (x/2) e(x) with e(x) = erf(x/√2) (an odd and an even part) and
/// reducing the expectations with Gaussian integration by parts (Stein's lemma) gives, with D = (1+v1)(1+v2) − c²:
/// T = c/4 + (1/(2π)) [ (v1 v2 + c² − c²(v1/(1+v1) + v2/(1+v2))) / √D + c · arcsin(c / sqrt((1+v1)(1+v2))) ],
/// Ṫ = 1/4 + (1/(2π)) [ arcsin(c / sqrt((1+v1)(1+v2))) + (c/√D)(1/(1+v1) + 1/(1+v2)) + c / D^{3/2} ].
/// </summary>
public sealed class Gelu : Activation
{
    /// <inheritdoc />
    public override string TypeName => "Gelu";
    /// <inheritdoc />
    public override double Apply(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));
    /// <inheritdoc />
    public override double Derivative(double x) => 0.5 * (1 + Erf(x / Math.Sqrt(2))) + x * Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    /// <inheritdoc />
    public override (double Nngp, double Tdot) Pair(double v1, double v2, double c)
    {
        double p1 = 1 + v1, p2 = 1 + v2;
        double d = p1 * p2 - c * c;
        double sd = Math.Sqrt(d);
        double asin = Math.Asin(Math.Clamp(c / Math.Sqrt(p1 * p2), -1.0, 1.0));
        double nngp = c / 4 + (v1 * v2 + c * c - c * c * (v1 / p1 + v2 / p2)) / sd / (2 * Math.PI) + c * asin / (2 * Math.PI);
        double tdot = 0.25 + (asin + c / sd * (1 / p1 + 1 / p2) + c / (d * sd)) / (2 * Math.PI);
        return (nngp, tdot);
    }
}
