using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// φ(x) = a·sin(b x + c). From sin α sin β = ½[cos(α − β) − cos(α + β)] and E[cos(b(u ± v) + φ)] = cos φ · exp(−b² Var(u ± v)/2):
/// T = (a²/2)[e₋ − cos(2c) e₊], Ṫ = (a²b²/2)[e₋ + cos(2c) e₊], with e∓ = exp(−b²(v1 + v2 ∓ 2c₁₂)/2).
/// </summary>
public class Sin(double a, double b, double c) : Activation
{
    /// <summary>Amplitude.</summary>
    public double A { get; } = a;
    /// <summary>Frequency.</summary>
    public double B { get; } = b;
    /// <summary>Phase.</summary>
    public double C { get; } = c;

    /// <inheritdoc />
    public override string TypeName => "Sin";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("a", A), ("b", B), ("c", C)];
    internal static Sin FromArgs(LayerArgs args) =>
        new(args.Number("a", 1, check: LayerArgs.Finite), args.Number("b", 1, check: LayerArgs.Finite), args.Number("c", 0, check: LayerArgs.Finite));

    /// <inheritdoc />
    public override double Apply(double x) => A * Math.Sin(B * x + C);
    /// <inheritdoc />
    public override double Derivative(double x) => A * B * Math.Cos(B * x + C);

    /// <inheritdoc />
    public override (double Nngp, double Tdot) Pair(double v1, double v2, double cov) => Kernel(A, B, C, v1, v2, cov);

    internal static (double Nngp, double Tdot) Kernel(double a, double b, double phase, double v1, double v2, double cov)
    {
        double b2 = b * b;
        double minus = Math.Exp(-b2 * (v1 + v2 - 2 * cov) / 2);
        double plus = Math.Cos(2 * phase) * Math.Exp(-b2 * (v1 + v2 + 2 * cov) / 2);
        return (a * a / 2 * (minus - plus), a * a * b2 / 2 * (minus + plus));
    }
}

/// <summary>φ(x) = a·cos(b x + c) = a·sin(b x + c + π/2); see <see cref="Sin"/>.</summary>
public sealed class Cos(double a, double b, double c) : Activation
{
    /// <summary>Amplitude.</summary>
    public double A { get; } = a;
    /// <summary>Frequency.</summary>
    public double B { get; } = b;
    /// <summary>Phase.</summary>
    public double C { get; } = c;

    /// <inheritdoc />
    public override string TypeName => "Cos";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("a", A), ("b", B), ("c", C)];
    internal static Cos FromArgs(LayerArgs args) =>
        new(args.Number("a", 1, check: LayerArgs.Finite), args.Number("b", 1, check: LayerArgs.Finite), args.Number("c", 0, check: LayerArgs.Finite));

    /// <inheritdoc />
    public override double Apply(double x) => A * Math.Cos(B * x + C);
    /// <inheritdoc />
    public override double Derivative(double x) => -A * B * Math.Sin(B * x + C);
    /// <inheritdoc />
    public override (double Nngp, double Tdot) Pair(double v1, double v2, double cov) => Sin.Kernel(A, B, C + Math.PI / 2, v1, v2, cov);
}

/// <summary>
/// φ(x) = √2·sin(√(2γ) x + π/4), the random-Fourier-feature map whose NNGP is the RBF kernel exp(−γ‖x − x'‖²)
/// in the covariance geometry: T = exp(−γ(v1 + v2 − 2c)).
/// </summary>
public sealed class Rbf(double gamma) : Activation
{
    /// <summary>The RBF's inverse squared length scale.</summary>
    public double Gamma { get; } = gamma;

    /// <inheritdoc />
    public override string TypeName => "Rbf";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("gamma", Gamma)];
    internal static Rbf FromArgs(LayerArgs args) => new(args.Number("gamma", 1, check: LayerArgs.Positive));

    /// <inheritdoc />
    public override double Apply(double x) => Math.Sqrt(2) * Math.Sin(Math.Sqrt(2 * Gamma) * x + Math.PI / 4);
    /// <inheritdoc />
    public override double Derivative(double x) => 2 * Math.Sqrt(Gamma) * Math.Cos(Math.Sqrt(2 * Gamma) * x + Math.PI / 4);
    /// <inheritdoc />
    public override (double Nngp, double Tdot) Pair(double v1, double v2, double cov) =>
        Sin.Kernel(Math.Sqrt(2), Math.Sqrt(2 * Gamma), Math.PI / 4, v1, v2, cov);
}
