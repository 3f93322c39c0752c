using Tangent.Numerics;
using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// φ(x) = Σ_k coef[k] x^k. T = Σ_jk coef_j coef_k E[u^j v^k] and Ṫ = Σ_jk j k coef_j coef_k E[u^(j−1) v^(k−1)],
/// the mixed Gaussian moments of <see cref="GaussianMoments.Cross"/>.
/// </summary>
public class Polynomial : Activation
{
    private readonly double[] _coef;

    /// <summary>A polynomial with coefficients c0, c1, ... (constant term first).</summary>
    public Polynomial(double[] coef)
    {
        if (coef.Length == 0) throw new ArgumentException("a polynomial needs at least one coefficient");
        _coef = (double[])coef.Clone();
    }

    /// <summary>Coefficients, constant term first.</summary>
    public IReadOnlyList<double> Coefficients => _coef;

    /// <inheritdoc />
    public override string TypeName => "Polynomial";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("coef", _coef)];
    internal static Polynomial FromArgs(LayerArgs args)
    {
        var coef = args.Numbers("coef", ["c"]) ?? throw new SpecException($"spec error at {args.Where}: Polynomial needs 'coef', a list of coefficients");
        if (coef.Length == 0 || coef.Any(c => !double.IsFinite(c))) throw new SpecException($"spec error at {args.Where}: Polynomial 'coef' must be a non-empty list of finite numbers");
        return new Polynomial(coef);
    }

    /// <inheritdoc />
    public override double Apply(double x)
    {
        double y = 0;
        for (int k = _coef.Length - 1; k >= 0; k--) y = y * x + _coef[k];
        return y;
    }

    /// <inheritdoc />
    public override double Derivative(double x)
    {
        double y = 0;
        for (int k = _coef.Length - 1; k >= 1; k--) y = y * x + k * _coef[k];
        return y;
    }

    /// <inheritdoc />
    public override (double Nngp, double Tdot) Pair(double v1, double v2, double cov)
    {
        double nngp = 0, tdot = 0;
        for (int j = 0; j < _coef.Length; j++)
        {
            if (_coef[j] == 0) continue;
            for (int k = 0; k < _coef.Length; k++)
            {
                if (_coef[k] == 0) continue;
                nngp += _coef[j] * _coef[k] * GaussianMoments.Cross(j, k, v1, v2, cov);
                if (j > 0 && k > 0) tdot += j * k * _coef[j] * _coef[k] * GaussianMoments.Cross(j - 1, k - 1, v1, v2, cov);
            }
        }
        return (nngp, tdot);
    }
}

/// <summary>φ(x) = x^degree, a <see cref="Polynomial"/> with one term.</summary>
public sealed class Monomial(int degree) : Polynomial(MonomialCoefficients(degree))
{
    /// <summary>The power.</summary>
    public int Degree { get; } = degree;
    /// <inheritdoc />
    public override string TypeName => "Monomial";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("degree", Degree)];
    internal static new Monomial FromArgs(LayerArgs args) => new(args.Integer("degree", 1, ["d"], min: 0, max: 20));

    private static double[] MonomialCoefficients(int degree)
    {
        var c = new double[degree + 1];
        c[degree] = 1;
        return c;
    }
}

/// <summary>
/// The normalised probabilists' Hermite polynomial φ(x) = He_n(x)/√(n!), orthonormal under N(0, 1). As in
/// neural-tangents, inputs are meant to have unit variance (put a LayerNorm before it); then T = c^n and Ṫ = n c^(n−1).
/// </summary>
public sealed class Hermite(int degree) : Activation
{
    /// <summary>The degree n.</summary>
    public int Degree { get; } = degree;
    /// <inheritdoc />
    public override string TypeName => "Hermite";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("degree", Degree)];
    internal static Hermite FromArgs(LayerArgs args) => new(args.Integer("degree", 1, ["d"], min: 0, max: 20));

    /// <inheritdoc />
    public override double Apply(double x) => GaussianMoments.Hermite(Degree, x) / Math.Sqrt(GaussianMoments.Factorial(Degree));
    /// <inheritdoc />
    public override double Derivative(double x) =>
        Degree == 0 ? 0 : Degree * GaussianMoments.Hermite(Degree - 1, x) / Math.Sqrt(GaussianMoments.Factorial(Degree));
    /// <inheritdoc />
    public override (double Nngp, double Tdot) Pair(double v1, double v2, double cov) =>
        (Math.Pow(cov, Degree), Degree == 0 ? 0 : Degree * Math.Pow(cov, Degree - 1));
}
