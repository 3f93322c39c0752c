using System.Globalization;

namespace Tangent.Specs;

/// <summary>
/// Typed, validated access to the parameters of one <see cref="LayerSyntax"/>. Every getter names the JSON key and
/// its short aliases of the text form; <see cref="EnsureAllUsed"/> rejects parameters the layer does not know, so a
/// typo never passes silently.
/// </summary>
public sealed class LayerArgs
{
    private readonly LayerSyntax _syntax;
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _known = [];
    private int _blocksUsed;

    internal LayerArgs(LayerSyntax syntax, string canonicalType)
    {
        _syntax = syntax;
        TypeName = canonicalType;
    }

    /// <summary>The canonical layer type name.</summary>
    public string TypeName { get; }

    /// <summary>Where the layer was written (for error messages).</summary>
    public string Where => _syntax.Where;

    /// <summary>A real-valued parameter; <paramref name="check"/> returns an error description or null.</summary>
    public double Number(string key, double fallback, string[]? aliases = null, Func<double, string?>? check = null)
    {
        var v = Find(key, aliases);
        if (v is null) return fallback;
        if (v is not SpecValue.Number n) throw Bad(key, v, "expected a number");
        if (double.IsNaN(n.Value)) throw Bad(key, v, "NaN is not allowed");
        string? problem = check?.Invoke(n.Value);
        if (problem is not null) throw Bad(key, v, problem);
        return n.Value;
    }

    /// <summary>An integer parameter.</summary>
    public int Integer(string key, int fallback, string[]? aliases = null, int min = int.MinValue, int max = int.MaxValue)
    {
        var v = Find(key, aliases);
        if (v is null) return fallback;
        if (v is not SpecValue.Number n || n.Value != Math.Round(n.Value) || double.IsInfinity(n.Value)) throw Bad(key, v, "expected an integer");
        if (n.Value < min || n.Value > max) throw Bad(key, v, max == int.MaxValue ? $"must be at least {min}" : $"must lie in [{min}, {max}]");
        return (int)n.Value;
    }

    /// <summary>A list of numbers (a single number is a list of one).</summary>
    public double[]? Numbers(string key, string[]? aliases = null)
    {
        var v = Find(key, aliases);
        return v switch
        {
            null => null,
            SpecValue.Number n => [n.Value],
            SpecValue.List l => l.Items.Select(i => i is SpecValue.Number n ? n.Value : throw Bad(key, i, "expected a number")).ToArray(),
            _ => throw Bad(key, v, "expected a list of numbers"),
        };
    }

    /// <summary>A list of integers of length <paramref name="rank"/>; a single integer is repeated (<c>f=3</c> means 3x3).</summary>
    public int[]? Integers(string key, int rank, string[]? aliases = null, int min = 1)
    {
        var v = Find(key, aliases);
        if (v is null) return null;
        var items = v switch
        {
            SpecValue.Number n => Enumerable.Repeat<SpecValue>(n, rank).ToList(),
            SpecValue.List l => l.Items.ToList(),
            _ => throw Bad(key, v, "expected an integer or a list of integers"),
        };
        if (items.Count != rank) throw Bad(key, v, $"expected {rank} values, found {items.Count}");
        return items.Select(i => i is SpecValue.Number n && n.Value == Math.Round(n.Value) && n.Value >= min && n.Value <= int.MaxValue
            ? (int)n.Value : throw Bad(key, i, $"expected an integer of at least {min}")).ToArray();
    }

    /// <summary>One of a fixed set of words (case-insensitive); returns the canonical spelling from <paramref name="allowed"/>.</summary>
    public string Choice(string key, string fallback, string[] allowed, string[]? aliases = null)
    {
        var v = Find(key, aliases);
        if (v is null) return fallback;
        if (v is not SpecValue.Word w) throw Bad(key, v, $"expected one of {string.Join(", ", allowed)}");
        return allowed.FirstOrDefault(a => a.Equals(w.Value, StringComparison.OrdinalIgnoreCase))
            ?? throw Bad(key, v, $"'{w.Value}' is not one of {string.Join(", ", allowed)}");
    }

    /// <summary>The next nested spec (positional argument) of a combinator.</summary>
    public IReadOnlyList<LayerSyntax>? NextBlock()
    {
        if (_blocksUsed >= _syntax.Positional.Count) return null;
        var v = _syntax.Positional[_blocksUsed++];
        return v is SpecValue.Block b ? b.Layers : throw new SpecException($"spec error at {v.Where}: expected a nested spec");
    }

    /// <summary>Rejects parameters and positional arguments this layer did not read.</summary>
    public void EnsureAllUsed()
    {
        foreach (var key in _syntax.Named.Keys)
            if (!_used.Contains(key))
                throw new SpecException($"spec error at {_syntax.Named[key].Where}: unknown parameter '{key}' for {TypeName}" +
                    (_known.Count == 0 ? " (it takes none)" : $"; it takes {string.Join(", ", _known)}"));
        if (_blocksUsed < _syntax.Positional.Count)
            throw new SpecException($"spec error at {_syntax.Positional[_blocksUsed].Where}: {TypeName} takes no nested spec here");
    }

    private SpecValue? Find(string key, string[]? aliases)
    {
        _known.Add(aliases is { Length: > 0 } ? $"{key} ({string.Join("/", aliases)})" : key);
        SpecValue? found = null;
        foreach (var k in aliases is null ? [key] : aliases.Prepend(key))
        {
            if (!_syntax.Named.TryGetValue(k, out var v)) continue;
            if (found is not null) throw new SpecException($"spec error at {v.Where}: parameter '{key}' given twice (as '{k}')");
            found = v;
            _used.Add(k);
        }
        return found;
    }

    private SpecException Bad(string key, SpecValue v, string problem) =>
        new($"spec error at {v.Where}: bad value {Show(v)} for '{key}' of {TypeName}: {problem}");

    private static string Show(SpecValue v) => v switch
    {
        SpecValue.Number n => n.Value.ToString("R", CultureInfo.InvariantCulture),
        SpecValue.Word w => $"'{w.Value}'",
        SpecValue.Flag f => f.Value ? "true" : "false",
        SpecValue.List l => $"[{string.Join(", ", l.Items.Select(Show))}]",
        _ => "(nested spec)",
    };

    /// <summary>Check helpers for <see cref="Number"/>.</summary>
    public static string? NonNegative(double x) => x >= 0 && !double.IsInfinity(x) ? null : "must be finite and non-negative";
    /// <summary>Check helper: finite.</summary>
    public static string? Finite(double x) => double.IsFinite(x) ? null : "must be finite";
    /// <summary>Check helper: finite and positive.</summary>
    public static string? Positive(double x) => x > 0 && !double.IsInfinity(x) ? null : "must be finite and positive";
}
