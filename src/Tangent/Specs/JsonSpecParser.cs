using System.Text.Json;

namespace Tangent.Specs;

/// <summary>
/// Parses the JSON form of a spec (that of the conformance fixtures): a list of objects such as
/// <c>{"type": "Dense", "W_std": 1.41, "b_std": 0.1}</c>; <c>Residual</c> takes <c>block</c>, <c>Product</c> takes <c>blocks</c>.
/// Errors name the JSON path of the offending element.
/// </summary>
public static class JsonSpecParser
{
    /// <summary>Parses JSON text.</summary>
    public static IReadOnlyList<LayerSyntax> Parse(string json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new SpecException($"spec error: invalid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine}: {FirstLine(e.Message)}"); }
        using (doc) return Parse(doc.RootElement, "$");
    }

    /// <summary>Parses an already-loaded JSON element (a list of layer objects).</summary>
    public static IReadOnlyList<LayerSyntax> Parse(JsonElement root, string path)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("spec", out var inner)) return Parse(inner, path + ".spec");
        if (root.ValueKind != JsonValueKind.Array) throw new SpecException($"spec error at {path}: expected a list of layers, found {root.ValueKind}");
        var layers = new List<LayerSyntax>();
        int i = 0;
        foreach (var item in root.EnumerateArray()) layers.Add(ParseLayer(item, $"{path}[{i++}]"));
        return layers;
    }

    private static LayerSyntax ParseLayer(JsonElement obj, string path)
    {
        if (obj.ValueKind == JsonValueKind.String) return new LayerSyntax(obj.GetString()!, new Dictionary<string, SpecValue>(), [], path);
        if (obj.ValueKind != JsonValueKind.Object) throw new SpecException($"spec error at {path}: expected a layer object, found {obj.ValueKind}");
        string? type = null;
        var named = new Dictionary<string, SpecValue>(StringComparer.OrdinalIgnoreCase);
        var positional = new List<SpecValue>();
        foreach (var prop in obj.EnumerateObject())
        {
            string where = $"{path}.{prop.Name}";
            if (prop.Name == "type")
            {
                if (prop.Value.ValueKind != JsonValueKind.String) throw new SpecException($"spec error at {where}: 'type' must be a string");
                type = prop.Value.GetString();
            }
            else if (prop.Name == "block") positional.Add(new SpecValue.Block(Parse(prop.Value, where), where));
            else if (prop.Name == "blocks")
            {
                if (prop.Value.ValueKind != JsonValueKind.Array) throw new SpecException($"spec error at {where}: 'blocks' must be a list of specs");
                int k = 0;
                foreach (var b in prop.Value.EnumerateArray()) { positional.Add(new SpecValue.Block(Parse(b, $"{where}[{k}]"), $"{where}[{k}]")); k++; }
            }
            else named[prop.Name] = ToValue(prop.Value, where);
        }
        if (type is null) throw new SpecException($"spec error at {path}: layer has no 'type'");
        return new LayerSyntax(type, named, positional, $"{path} ('{type}')");
    }

    private static SpecValue ToValue(JsonElement e, string where) => e.ValueKind switch
    {
        JsonValueKind.Number => new SpecValue.Number(e.GetDouble(), where),
        JsonValueKind.String => new SpecValue.Word(e.GetString()!, where),
        JsonValueKind.True => new SpecValue.Flag(true, where),
        JsonValueKind.False => new SpecValue.Flag(false, where),
        JsonValueKind.Null => new SpecValue.Word("null", where),
        JsonValueKind.Array => new SpecValue.List(e.EnumerateArray().Select((x, i) => ToValue(x, $"{where}[{i}]")).ToList(), where),
        _ => throw new SpecException($"spec error at {where}: unsupported value {e.ValueKind}"),
    };

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
