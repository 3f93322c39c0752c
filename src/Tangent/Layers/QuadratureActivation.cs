using Tangent.Numerics;
using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// An activation with no closed-form kernel: T and Ṫ by <see cref="BivariateGaussianQuadrature"/> of φ and φ', with a
/// settable order (spec key <c>order</c>). Costs about 8·order² evaluations of φ per pair.
/// </summary>
public abstract class QuadratureActivation(int order) : Activation
{
    /// <summary>Quadrature points per radial rule and per angular sector.</summary>
    public int Order { get; } = order;

    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters =>
        Order == BivariateGaussianQuadrature.DefaultOrder ? [] : [("order", Order)];

    internal static int ReadOrder(LayerArgs args) => args.Integer("order", BivariateGaussianQuadrature.DefaultOrder, min: 2, max: 256);

    /// <inheritdoc />
    public override (double Nngp, double Tdot) Pair(double v1, double v2, double cov) =>
        (BivariateGaussianQuadrature.Expectation(Apply, Apply, v1, v2, cov, Order),
         BivariateGaussianQuadrature.Expectation(Derivative, Derivative, v1, v2, cov, Order));

    /// <inheritdoc />
    public override (double Nngp, double Tdot) Self(double v)
    {
        double a = Math.Sqrt(Math.Max(v, 0));
        return (BivariateGaussianQuadrature.ExpectationAtAngle(Apply, Apply, a, a, 0, Order),
                BivariateGaussianQuadrature.ExpectationAtAngle(Derivative, Derivative, a, a, 0, Order));
    }
}

/// <summary>tanh(x), kernel by quadrature.</summary>
public sealed class Tanh(int order = BivariateGaussianQuadrature.DefaultOrder) : QuadratureActivation(order)
{
    /// <inheritdoc />
    public override string TypeName => "Tanh";
    internal static Tanh FromArgs(LayerArgs args) => new(ReadOrder(args));
    /// <inheritdoc />
    public override double Apply(double x) => Math.Tanh(x);
    /// <inheritdoc />
    public override double Derivative(double x) { double t = Math.Tanh(x); return 1 - t * t; }
}

/// <summary>The logistic sigmoid 1/(1 + e^(−x)), kernel by quadrature.</summary>
public sealed class Sigmoid(int order = BivariateGaussianQuadrature.DefaultOrder) : QuadratureActivation(order)
{
    /// <inheritdoc />
    public override string TypeName => "Sigmoid";
    internal static Sigmoid FromArgs(LayerArgs args) => new(ReadOrder(args));
    /// <inheritdoc />
    public override double Apply(double x) => 1 / (1 + Math.Exp(-x));
    /// <inheritdoc />
    public override double Derivative(double x) { double s = Apply(x); return s * (1 - s); }
}

/// <summary>softplus log(1 + e^x), kernel by quadrature.</summary>
public sealed class Softplus(int order = BivariateGaussianQuadrature.DefaultOrder) : QuadratureActivation(order)
{
    /// <inheritdoc />
    public override string TypeName => "Softplus";
    internal static Softplus FromArgs(LayerArgs args) => new(ReadOrder(args));
    /// <inheritdoc />
    public override double Apply(double x) => x > 30 ? x : Math.Log(1 + Math.Exp(x));
    /// <inheritdoc />
    public override double Derivative(double x) => 1 / (1 + Math.Exp(-x));
}

/// <summary>SiLU (swish) x·sigmoid(x), kernel by quadrature.</summary>
public sealed class Silu(int order = BivariateGaussianQuadrature.DefaultOrder) : QuadratureActivation(order)
{
    /// <inheritdoc />
    public override string TypeName => "Silu";
    internal static Silu FromArgs(LayerArgs args) => new(ReadOrder(args));
    /// <inheritdoc />
    public override double Apply(double x) => x / (1 + Math.Exp(-x));
    /// <inheritdoc />
    public override double Derivative(double x) { double s = 1 / (1 + Math.Exp(-x)); return s * (1 + x * (1 - s)); }
}

/// <summary>
/// A user's activation, given as a function and its derivative (library API), kernel by quadrature. For example
/// <c>new CustomActivation("cube", x =&gt; x * x * x, x =&gt; 3 * x * x)</c>.
/// </summary>
public sealed class CustomActivation(string name, Func<double, double> function, Func<double, double> derivative,
    int order = BivariateGaussianQuadrature.DefaultOrder) : QuadratureActivation(order)
{
    /// <summary>The name the user gave.</summary>
    public string Name { get; } = name;
    /// <inheritdoc />
    public override string TypeName => "Custom";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("name", Name), ("order", Order)];
    /// <inheritdoc />
    public override double Apply(double x) => function(x);
    /// <inheritdoc />
    public override double Derivative(double x) => derivative(x);
}
