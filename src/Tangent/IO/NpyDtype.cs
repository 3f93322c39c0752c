namespace Tangent.IO;

/// <summary>
/// The element type of a .npy file as its <c>descr</c> string gives it: a byte-order character
/// (<c>&lt;</c> little, <c>&gt;</c> big, <c>=</c> native, <c>|</c> not applicable) then a kind and a size.
/// </summary>
/// <param name="Type">What the elements are.</param>
/// <param name="ItemSize">Bytes per element.</param>
/// <param name="Swap">Whether the file's byte order differs from this machine's.</param>
internal readonly record struct NpyDtype(ElementType Type, int ItemSize, bool Swap)
{
    /// <summary>The types Tangent reads, for the error message that lists them.</summary>
    private const string Supported = "float64, float32, int64, int32, int16, uint8, int8 or bool";

    /// <summary>Parses <paramref name="descr"/>, or throws a <see cref="DataFormatException"/> naming <paramref name="name"/> and the dtype.</summary>
    public static NpyDtype Parse(string descr, string name)
    {
        // numpy always writes the byte-order character, but a bare "f8" is a valid dtype string meaning native.
        bool hasOrder = descr.Length > 0 && descr[0] is '<' or '>' or '=' or '|';
        char order = hasOrder ? descr[0] : '=';
        string code = hasOrder ? descr[1..] : descr;
        (ElementType type, int size)? known = code switch
        {
            "f8" => (ElementType.Float64, 8),
            "f4" => (ElementType.Float32, 4),
            "i8" => (ElementType.Int64, 8),
            "i4" => (ElementType.Int32, 4),
            "i2" => (ElementType.Int16, 2),
            "u1" => (ElementType.UInt8, 1),
            "i1" => (ElementType.Int8, 1),
            "b1" => (ElementType.Bool, 1),
            _ => null,
        };
        if (known is not var (elementType, itemSize))
            throw Unsupported(name, PyLiteral.Repr(descr), code.StartsWith('O') ? "an object array holds Python objects, not numbers" : null);
        if (itemSize == 1) return new NpyDtype(elementType, 1, Swap: false);

        // '|' says "byte order does not apply", which is only true of one-byte types: for wider ones the
        // file would not say how to read them.
        if (order == '|') throw Unsupported(name, PyLiteral.Repr(descr), "no byte order given for a multi-byte type");
        bool fileBigEndian = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        return new NpyDtype(elementType, itemSize, Swap: fileBigEndian == BitConverter.IsLittleEndian);
    }

    /// <summary>
    /// The error for a dtype Tangent does not read; <paramref name="descrRepr"/> is the dtype as the header
    /// wrote it and <paramref name="why"/> an optional explanation.
    /// </summary>
    public static DataFormatException Unsupported(string name, string descrRepr, string? why = null) =>
        new($"{name}: unsupported dtype {descrRepr}{(why is null ? "" : $" ({why})")}; Tangent reads {Supported}");
}
