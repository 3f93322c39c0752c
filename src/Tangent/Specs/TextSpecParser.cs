using System.Globalization;

namespace Tangent.Specs;

/// <summary>
/// Parses the compact text form of a spec, for example
/// <c>dense(w=1.41,b=0.1) &gt; relu &gt; dense(w=1)</c> or <c>residual(relu &gt; dense) &gt; product(erf, relu &gt; dense)</c>.
/// Grammar: <c>spec := layer ('&gt;' layer)*</c>, <c>layer := name ['(' arg (',' arg)* ')']</c>,
/// <c>arg := key '=' value | spec</c>, <c>value := number | word | '[' value (',' value)* ']' | '(' spec ')'</c>.
/// </summary>
public sealed class TextSpecParser
{
    private readonly string _text;
    private int _pos;

    private TextSpecParser(string text) => _text = text;

    /// <summary>Parses a whole spec; throws <see cref="SpecException"/> naming the offending token and its position.</summary>
    public static IReadOnlyList<LayerSyntax> Parse(string text)
    {
        var p = new TextSpecParser(text);
        var layers = p.ParseSpec();
        p.SkipSpace();
        if (p._pos < text.Length) throw p.Error($"unexpected '{p.TokenAt(p._pos)}'");
        return layers;
    }

    private List<LayerSyntax> ParseSpec()
    {
        var layers = new List<LayerSyntax> { ParseLayer() };
        while (true)
        {
            SkipSpace();
            if (_pos < _text.Length && _text[_pos] == '>') { _pos++; layers.Add(ParseLayer()); }
            else return layers;
        }
    }

    private LayerSyntax ParseLayer()
    {
        SkipSpace();
        int start = _pos;
        string name = ReadIdentifier() ?? throw Error(_pos >= _text.Length ? "expected a layer name, found the end of the spec" : $"expected a layer name, found '{TokenAt(_pos)}'");
        var named = new Dictionary<string, SpecValue>(StringComparer.OrdinalIgnoreCase);
        var positional = new List<SpecValue>();
        SkipSpace();
        if (_pos < _text.Length && _text[_pos] == '(')
        {
            _pos++;
            SkipSpace();
            if (_pos < _text.Length && _text[_pos] == ')') { _pos++; }
            else
            {
                while (true)
                {
                    ParseArgument(named, positional);
                    SkipSpace();
                    if (_pos >= _text.Length) throw Error($"missing ')' to close '{name}(' at position {start}");
                    if (_text[_pos] == ',') { _pos++; continue; }
                    if (_text[_pos] == ')') { _pos++; break; }
                    throw Error($"expected ',' or ')' in the arguments of '{name}', found '{TokenAt(_pos)}'");
                }
            }
        }
        return new LayerSyntax(name, named, positional, $"position {start} ('{name}')");
    }

    private void ParseArgument(Dictionary<string, SpecValue> named, List<SpecValue> positional)
    {
        SkipSpace();
        int start = _pos;
        string? key = ReadIdentifier();
        SkipSpace();
        if (key is not null && _pos < _text.Length && _text[_pos] == '=')
        {
            _pos++;
            // Errors about a parameter point at its key.
            var value = ParseValue() with { Where = $"position {start} ('{key}')" };
            if (!named.TryAdd(key, value)) throw new SpecException($"spec error at position {start}: parameter '{key}' given twice");
            return;
        }
        // Not key=value: a nested spec (the block of a combinator).
        _pos = start;
        var layers = ParseSpec();
        positional.Add(new SpecValue.Block(layers, $"position {start}"));
    }

    private SpecValue ParseValue()
    {
        SkipSpace();
        int start = _pos;
        string where = $"position {start}";
        if (_pos >= _text.Length) throw Error("expected a value, found the end of the spec");
        char ch = _text[_pos];
        if (ch == '[')
        {
            _pos++;
            var items = new List<SpecValue>();
            SkipSpace();
            if (_pos < _text.Length && _text[_pos] == ']') { _pos++; return new SpecValue.List(items, where); }
            while (true)
            {
                items.Add(ParseValue());
                SkipSpace();
                if (_pos < _text.Length && _text[_pos] == ',') { _pos++; continue; }
                if (_pos < _text.Length && _text[_pos] == ']') { _pos++; return new SpecValue.List(items, where); }
                throw Error("expected ',' or ']' in a list");
            }
        }
        if (ch == '(')
        {
            _pos++;
            var layers = ParseSpec();
            SkipSpace();
            if (_pos >= _text.Length || _text[_pos] != ')') throw Error("missing ')' after a nested spec");
            _pos++;
            return new SpecValue.Block(layers, where);
        }
        if (char.IsDigit(ch) || ch is '-' or '+' or '.')
        {
            int end = _pos + 1;
            while (end < _text.Length && (char.IsLetterOrDigit(_text[end]) || _text[end] is '.' or '-' or '+')) end++;
            string token = _text[_pos..end];
            // "3x3" is a filter or window size.
            var parts = token.Split('x');
            if (parts.Length > 1 && parts.All(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
            {
                _pos = end;
                return new SpecValue.List(parts.Select(p => (SpecValue)new SpecValue.Number(int.Parse(p, CultureInfo.InvariantCulture), where)).ToList(), where);
            }
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                throw Error($"'{token}' is not a number");
            _pos = end;
            return new SpecValue.Number(v, where);
        }
        string? word = ReadIdentifier();
        if (word is null) throw Error($"expected a value, found '{TokenAt(_pos)}'");
        if (word.Equals("inf", StringComparison.OrdinalIgnoreCase)) return new SpecValue.Number(double.PositiveInfinity, where);
        if (word.Equals("pi", StringComparison.OrdinalIgnoreCase)) return new SpecValue.Number(Math.PI, where);
        return new SpecValue.Word(word, where);
    }

    private string? ReadIdentifier()
    {
        if (_pos >= _text.Length || !(char.IsLetter(_text[_pos]) || _text[_pos] == '_')) return null;
        int start = _pos;
        while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
        return _text[start.._pos];
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private string TokenAt(int pos)
    {
        if (pos >= _text.Length) return "end of spec";
        int end = pos + 1;
        if (char.IsLetterOrDigit(_text[pos]) || _text[pos] == '_')
            while (end < _text.Length && (char.IsLetterOrDigit(_text[end]) || _text[end] == '_')) end++;
        return _text[pos..end];
    }

    private SpecException Error(string what) => new($"spec error at position {_pos}: {what}");
}
