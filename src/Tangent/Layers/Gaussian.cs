using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// φ(x) = a·exp(b x²). With M = I − 2bΣ and D = det M = (1 − 2b v1)(1 − 2b v2) − 4b²c²:
/// T = a² / √D and, since E[uv·exp(b(u² + v²))] = (M⁻¹Σ)₁₂ / √D = c / D^{3/2}, Ṫ = 4a²b² c / D^{3/2}.
/// Finite only while D &gt; 0 (for b &gt; 0, variances below 1/(4b)).
/// </summary>
public sealed class Gaussian(double a, double b) : Activation
{
    /// <summary>Amplitude.</summary>
    public double A { get; } = a;
    /// <summary>Exponent scale.</summary>
    public double B { get; } = b;

    /// <inheritdoc />
    public override string TypeName => "Gaussian";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("a", A), ("b", B)];
    internal static Gaussian FromArgs(LayerArgs args) => new(args.Number("a", 1, check: LayerArgs.Finite), args.Number("b", -1, check: LayerArgs.Finite));

    /// <inheritdoc />
    public override double Apply(double x) => A * Math.Exp(B * x * x);
    /// <inheritdoc />
    public override double Derivative(double x) => 2 * A * B * x * Math.Exp(B * x * x);

    /// <inheritdoc />
    public override (double Nngp, double Tdot) Pair(double v1, double v2, double cov)
    {
        double d = (1 - 2 * B * v1) * (1 - 2 * B * v2) - 4 * B * B * cov * cov;
        if (!(d > 0)) return (double.NaN, double.NaN);
        double sd = Math.Sqrt(d);
        return (A * A / sd, 4 * A * A * B * B * cov / (d * sd));
    }
}

/// <summary>φ(x) = a·exp(b x): T = a² exp(b²(v1 + v2 + 2c)/2), Ṫ = b² T (the moment generating function of u + v).</summary>
public sealed class Exp(double a, double b) : Activation
{
    /// <summary>Amplitude.</summary>
    public double A { get; } = a;
    /// <summary>Exponent scale.</summary>
    public double B { get; } = b;

    /// <inheritdoc />
    public override string TypeName => "Exp";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("a", A), ("b", B)];
    internal static Exp FromArgs(LayerArgs args) => new(args.Number("a", 1, check: LayerArgs.Finite), args.Number("b", 1, check: LayerArgs.Finite));

    /// <inheritdoc />
    public override double Apply(double x) => A * Math.Exp(B * x);
    /// <inheritdoc />
    public override double Derivative(double x) => A * B * Math.Exp(B * x);

    /// <inheritdoc />
    public override (double Nngp, double Tdot) Pair(double v1, double v2, double cov)
    {
        double t = A * A * Math.Exp(B * B * (v1 + v2 + 2 * cov) / 2);
        return (t, B * B * t);
    }
}

/// <summary>The identity: T = c, Ṫ = 1.</summary>
public sealed class Identity : Activation
{
    /// <inheritdoc />
    public override string TypeName => "Identity";
    /// <inheritdoc />
    public override double Apply(double x) => x;
    /// <inheritdoc />
    public override double Derivative(double x) => 1;
    /// <inheritdoc />
    public override (double Nngp, double Tdot) Pair(double v1, double v2, double cov) => (cov, 1);
}
