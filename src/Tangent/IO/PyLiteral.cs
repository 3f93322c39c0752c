using System.Globalization;
using System.Text;

namespace Tangent.IO;

/// <summary>
/// A parser for the small subset of Python literal syntax that .npy headers are written in: dicts with
/// string keys, strings, integers, <c>True</c>/<c>False</c>/<c>None</c>, tuples and lists. numpy writes the
/// header with <c>repr()</c> and reads it with <c>ast.literal_eval</c>, so this is the format's real grammar;
/// parsing it properly (rather than with regular expressions) lets us tell a malformed header from an
/// unsupported dtype such as a structured one, which is a list.
/// </summary>
/// <remarks>
/// Values come back as <see cref="string"/>, <see cref="long"/>, <see cref="bool"/>, <c>null</c>,
/// <see cref="Sequence"/> (tuple or list) and <see cref="Dictionary{TKey, TValue}"/> of string to value.
/// Syntax errors throw <see cref="FormatException"/> with a short description.
/// </remarks>
internal sealed class PyLiteral
{
    /// <summary>A tuple (<c>IsTuple</c>) or a list.</summary>
    public sealed record Sequence(bool IsTuple, List<object?> Items);

    private readonly string _text;
    private int _pos;

    private PyLiteral(string text) => _text = text;

    /// <summary>Parses one literal that must fill <paramref name="text"/> (surrounding whitespace aside).</summary>
    public static object? Parse(string text)
    {
        var p = new PyLiteral(text);
        object? value = p.ParseValue();
        p.SkipSpace();
        if (p._pos != text.Length) throw p.Error("unexpected text after the literal");
        return value;
    }

    /// <summary>Writes a parsed value back the way Python's <c>repr</c> would, for error messages.</summary>
    public static string Repr(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        long n => n.ToString(CultureInfo.InvariantCulture),
        string s => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'",
        Sequence { IsTuple: true, Items.Count: 1 } t => "(" + Repr(t.Items[0]) + ",)",
        Sequence t => (t.IsTuple ? "(" : "[") + string.Join(", ", t.Items.Select(Repr)) + (t.IsTuple ? ")" : "]"),
        Dictionary<string, object?> d => "{" + string.Join(", ", d.Select(kv => Repr(kv.Key) + ": " + Repr(kv.Value))) + "}",
        _ => value.ToString() ?? "",
    };

    private object? ParseValue()
    {
        SkipSpace();
        if (_pos >= _text.Length) throw Error("unexpected end");
        char c = _text[_pos];
        switch (c)
        {
            case '{': return ParseDict();
            case '(': return ParseSequence(')', isTuple: true);
            case '[': return ParseSequence(']', isTuple: false);
            case '\'': case '"': return ParseString();
        }
        if (c == '-' || c == '+' || char.IsAsciiDigit(c)) return ParseInteger();
        if (char.IsAsciiLetter(c))
        {
            int start = _pos;
            while (_pos < _text.Length && char.IsAsciiLetterOrDigit(_text[_pos])) _pos++;
            return _text[start.._pos] switch
            {
                "True" => true,
                "False" => false,
                "None" => null,
                var word => throw Error($"unexpected name '{word}'", start),
            };
        }
        throw Error($"unexpected '{c}'");
    }

    private Dictionary<string, object?> ParseDict()
    {
        _pos++; // '{'
        var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpace();
            if (TryTake('}')) return dict;
            int keyAt = _pos;
            if (ParseValue() is not string key) throw Error("dictionary keys must be strings", keyAt);
            SkipSpace();
            if (!TryTake(':')) throw Error("expected ':'");
            object? value = ParseValue();
            if (!dict.TryAdd(key, value)) throw Error($"duplicate key '{key}'", keyAt);
            SkipSpace();
            if (TryTake('}')) return dict;
            if (!TryTake(',')) throw Error("expected ',' or '}'");
        }
    }

    private Sequence ParseSequence(char close, bool isTuple)
    {
        _pos++; // '(' or '['
        var items = new List<object?>();
        bool sawComma = false;
        while (true)
        {
            SkipSpace();
            if (TryTake(close)) break;
            items.Add(ParseValue());
            SkipSpace();
            if (TryTake(close)) { sawComma = false; break; }
            if (!TryTake(',')) throw Error($"expected ',' or '{close}'");
            sawComma = true;
        }
        // In Python "(5)" is just 5 in parentheses; only "(5,)" is a 1-tuple.
        if (isTuple && items.Count == 1 && !sawComma) return UnwrapParenthesised(items[0]);
        return new Sequence(isTuple, items);

        static Sequence UnwrapParenthesised(object? inner) =>
            inner as Sequence ?? throw new FormatException("a parenthesised value is not a tuple (a 1-tuple needs a trailing comma)");
    }

    private string ParseString()
    {
        char quote = _text[_pos++];
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length) throw Error("unterminated string");
            char c = _text[_pos++];
            if (c == quote) return sb.ToString();
            if (c == '\\')
            {
                if (_pos >= _text.Length) throw Error("unterminated string");
                char e = _text[_pos++];
                sb.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => e });
            }
            else sb.Append(c);
        }
    }

    private long ParseInteger()
    {
        int start = _pos;
        if (_text[_pos] is '-' or '+') _pos++;
        int digits = _pos;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
        if (_pos == digits) throw Error("expected a digit");
        string number = _text[start.._pos];
        // Python 2 wrote long integers with an L suffix ("(3L, 4L)"); old .npy files still carry it.
        if (_pos < _text.Length && _text[_pos] is 'L' or 'l') _pos++;
        if (!long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw Error($"integer {number} is out of range", start);
        return value;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private bool TryTake(char c)
    {
        if (_pos < _text.Length && _text[_pos] == c) { _pos++; return true; }
        return false;
    }

    private FormatException Error(string what, int? at = null)
    {
        int position = at ?? _pos;
        return new(position >= _text.Length ? $"{what} at the end" : $"{what} at character {position + 1}");
    }
}
