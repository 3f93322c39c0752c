using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// Maps type names to layer constructors. Names match case-insensitively and ignoring underscores, so the JSON
/// <c>GlobalAvgPool</c> and the text <c>global_avg_pool</c> are the same layer. A new layer type is one entry here.
/// </summary>
public static class LayerRegistry
{
    private static readonly Dictionary<string, (string Canonical, Func<LayerArgs, Layer> Create)> Factories = new();

    static LayerRegistry()
    {
        Add("Dense", Dense.FromArgs);
        Add("Relu", _ => new Relu());
        Add("LeakyRelu", LeakyRelu.FromArgs);
        Add("ABRelu", ABRelu.FromArgs);
        Add("Abs", _ => new Abs());
        Add("Sign", _ => new Sign());
        Add("Erf", Erf.FromArgs);
        Add("Sigmoid_like", _ => new SigmoidLike());
        Add("Gelu", _ => new Gelu());
        Add("Sin", Sin.FromArgs);
        Add("Cos", Cos.FromArgs);
        Add("Rbf", Rbf.FromArgs);
        Add("Gaussian", Gaussian.FromArgs);
        Add("Exp", Exp.FromArgs);
        Add("Monomial", Monomial.FromArgs);
        Add("RectifiedMonomial", RectifiedMonomial.FromArgs);
        Add("Hermite", Hermite.FromArgs);
        Add("Polynomial", Polynomial.FromArgs);
        Add("Identity", _ => new Identity());
        Add("LayerNorm", LayerNorm.FromArgs);
        Add("Residual", Residual.FromArgs);
        Add("Product", Product.FromArgs);
        Add("Tanh", Tanh.FromArgs);
        Add("Sigmoid", Sigmoid.FromArgs);
        Add("Softplus", Softplus.FromArgs);
        Add("Silu", Silu.FromArgs);
        Add("Conv", Conv.FromArgs);
        Add("AvgPool", AvgPool.FromArgs);
        Add("SumPool", SumPool.FromArgs);
        Add("GlobalAvgPool", _ => new GlobalAvgPool());
        Add("GlobalSumPool", _ => new GlobalSumPool());
        Add("Flatten", _ => new Flatten());
    }

    /// <summary>Registers a layer type (for extensions).</summary>
    public static void Add(string canonicalName, Func<LayerArgs, Layer> create) => Factories[Normalise(canonicalName)] = (canonicalName, create);

    /// <summary>The canonical names of all known layer types.</summary>
    public static IEnumerable<string> Names => Factories.Values.Select(f => f.Canonical).Order();

    /// <summary>Creates and validates one layer.</summary>
    public static Layer Create(LayerSyntax syntax)
    {
        if (!Factories.TryGetValue(Normalise(syntax.Type), out var entry))
            throw new SpecException($"spec error at {syntax.Where}: unknown layer type '{syntax.Type}'; known types: {string.Join(", ", Names)}");
        var args = new LayerArgs(syntax, entry.Canonical);
        var layer = entry.Create(args);
        args.EnsureAllUsed();
        return layer;
    }

    private static string Normalise(string name) => name.Replace("_", "").Replace("-", "").ToLowerInvariant();
}
