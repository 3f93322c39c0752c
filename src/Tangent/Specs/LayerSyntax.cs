namespace Tangent.Specs;

/// <summary>A parsed parameter value: a number, a word, a list of values, or a nested spec (for combinators).</summary>
public abstract record SpecValue(string Where)
{
    /// <summary>A number, for example <c>1.41</c>.</summary>
    public sealed record Number(double Value, string Where) : SpecValue(Where);
    /// <summary>A word or string, for example <c>same</c>.</summary>
    public sealed record Word(string Value, string Where) : SpecValue(Where);
    /// <summary>A list, for example <c>[3, 3]</c>.</summary>
    public sealed record List(IReadOnlyList<SpecValue> Items, string Where) : SpecValue(Where);
    /// <summary>A nested spec, for example the block of a <c>Residual</c>.</summary>
    public sealed record Block(IReadOnlyList<LayerSyntax> Layers, string Where) : SpecValue(Where);
    /// <summary>A boolean (JSON only).</summary>
    public sealed record Flag(bool Value, string Where) : SpecValue(Where);
}

/// <summary>
/// One layer as written by the user, before it is checked: its type name, named parameters, positional arguments
/// (nested specs of combinators) and where it was written, so errors can point at it.
/// </summary>
public sealed record LayerSyntax(
    string Type,
    IReadOnlyDictionary<string, SpecValue> Named,
    IReadOnlyList<SpecValue> Positional,
    string Where);
