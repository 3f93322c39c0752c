using Tangent.Specs;
using static MathNet.Numerics.SpecialFunctions;

namespace Tangent.Layers;

/// <summary>
/// φ(x) = a·erf(b x) + c (Williams 1997): T = a² (2/π) arcsin(2b²c₁₂ / sqrt((1 + 2b²v1)(1 + 2b²v2))) + c²,
/// Ṫ = (4a²b²/π) / sqrt((1 + 2b²v1)(1 + 2b²v2) − 4b⁴c₁₂²).
/// </summary>
public class Erf(double a, double b, double c) : Activation
{
    /// <summary>Output scale.</summary>
    public double A { get; } = a;
    /// <summary>Input scale.</summary>
    public double B { get; } = b;
    /// <summary>Output shift.</summary>
    public double C { get; } = c;

    /// <inheritdoc />
    public override string TypeName => "Erf";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("a", A), ("b", B), ("c", C)];
    internal static Erf FromArgs(LayerArgs args) =>
        new(args.Number("a", 1, check: LayerArgs.Finite), args.Number("b", 1, check: LayerArgs.Finite), args.Number("c", 0, check: LayerArgs.Finite));

    /// <inheritdoc />
    public override double Apply(double x) => A * Erf(B * x) + C;
    /// <inheritdoc />
    public override double Derivative(double x) => A * B * 2 / Math.Sqrt(Math.PI) * Math.Exp(-B * B * x * x);

    /// <inheritdoc />
    public override (double Nngp, double Tdot) Pair(double v1, double v2, double cov)
    {
        double b2 = 2 * B * B;
        double prod = (1 + b2 * v1) * (1 + b2 * v2);
        double arg = Math.Clamp(b2 * cov / Math.Sqrt(prod), -1.0, 1.0);
        double nngp = A * A * 2 / Math.PI * Math.Asin(arg) + C * C;
        double tdot = 4 * A * A * B * B / Math.PI / Math.Sqrt(prod - b2 * b2 * cov * cov);
        return (nngp, tdot);
    }

    /// <inheritdoc />
    public override (double Nngp, double Tdot) Self(double v)
    {
        double b2v = 2 * B * B * v;
        return (A * A * 2 / Math.PI * Math.Asin(b2v / (1 + b2v)) + C * C, 4 * A * A * B * B / Math.PI / Math.Sqrt(1 + 2 * b2v));
    }
}

/// <summary>
/// neural-tangents' sigmoid-like function 0.5·erf(x / 2.4020563531719796) + 0.5, an <see cref="Erf"/> whose scale
/// matches the logistic sigmoid's slope-and-range closely and whose kernel has a closed form.
/// </summary>
public sealed class SigmoidLike() : Erf(0.5, 1 / 2.4020563531719796, 0.5)
{
    /// <inheritdoc />
    public override string TypeName => "Sigmoid_like";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [];
}
