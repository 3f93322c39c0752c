using System.Buffers.Binary;
using System.Text;

namespace Tangent.IO;

/// <summary>
/// The header of a .npy file: after the magic <c>\x93NUMPY</c>, a version, and a length, a Python dict
/// literal such as <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (3, 4), }</c> padded with spaces
/// and a newline so the data starts on a 64-byte boundary.
/// (Format: numpy's NEP 1, "A simple file format for NumPy arrays".)
/// </summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, int[] Shape)
{
    /// <summary>The six bytes every .npy file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>numpy aligns the data to this many bytes so that files can be memory-mapped.</summary>
    public const int Alignment = 64;

    /// <summary>
    /// numpy (1.23 and later) leaves room for the first axis to grow to 21 digits, so a header can be
    /// rewritten in place when data is appended. Mirrored so our files are byte-identical to np.save's.
    /// </summary>
    private const int GrowthAxisMaxDigits = 21;

    /// <summary>Parses the header text (the dict literal and its padding) of file <paramref name="name"/>.</summary>
    public static NpyHeader Parse(string text, string name)
    {
        object? parsed;
        try { parsed = PyLiteral.Parse(text); }
        catch (FormatException e) { throw Malformed(name, e.Message); }
        if (parsed is not Dictionary<string, object?> dict) throw Malformed(name, "the header is not a dictionary");

        foreach (string key in new[] { "descr", "fortran_order", "shape" })
            if (!dict.ContainsKey(key)) throw Malformed(name, $"the header has no '{key}'");
        if (dict.Count != 3)
            throw Malformed(name, "unexpected keys " + string.Join(", ", dict.Keys.Where(k => k is not ("descr" or "fortran_order" or "shape")).Select(k => $"'{k}'")));

        // A structured dtype is a list of fields; anything not a string is a dtype we do not read.
        if (dict["descr"] is not string descr)
            throw NpyDtype.Unsupported(name, PyLiteral.Repr(dict["descr"]), "a structured array; save each field as its own array");
        if (dict["fortran_order"] is not bool fortran) throw Malformed(name, "'fortran_order' is not True or False");
        if (dict["shape"] is not PyLiteral.Sequence { IsTuple: true } tuple) throw Malformed(name, "'shape' is not a tuple");

        var shape = new int[tuple.Items.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            if (tuple.Items[i] is not long d || d < 0) throw Malformed(name, $"'shape' {PyLiteral.Repr(tuple)} is not a tuple of non-negative integers");
            if (d > int.MaxValue) throw new DataFormatException($"{name}: dimension {d} of shape {PyLiteral.Repr(tuple)} is too large (at most {int.MaxValue} elements)");
            shape[i] = (int)d;
        }
        return new NpyHeader(descr, fortran, shape);
    }

    /// <summary>The dict literal exactly as numpy writes it, keys in sorted order, without padding.</summary>
    public static string FormatDict(string descr, bool fortranOrder, ReadOnlySpan<int> shape) =>
        $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {ShapeText.FormatPythonTuple(shape)}, }}";

    /// <summary>
    /// Everything that precedes the data of a C-order array: magic, version, header length, and the padded
    /// header. Version 1.0 (2-byte length) unless the header needs more than 65535 bytes, then 2.0.
    /// </summary>
    public static byte[] Encode(string descr, ReadOnlySpan<int> shape)
    {
        string dict = FormatDict(descr, fortranOrder: false, shape);
        if (shape.Length > 0) dict += new string(' ', Math.Max(0, GrowthAxisMaxDigits - shape[0].ToString().Length));

        int lengthFieldSize = 2;
        int headerLength = PaddedLength(dict.Length, 6 + 2 + lengthFieldSize);
        if (headerLength > ushort.MaxValue)
        {
            lengthFieldSize = 4;
            headerLength = PaddedLength(dict.Length, 6 + 2 + lengthFieldSize);
        }

        int prefix = 6 + 2 + lengthFieldSize;
        var bytes = new byte[prefix + headerLength];
        Magic.CopyTo(bytes);
        bytes[6] = lengthFieldSize == 2 ? (byte)1 : (byte)2;
        bytes[7] = 0;
        if (lengthFieldSize == 2) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)headerLength);
        Span<byte> header = bytes.AsSpan(prefix);
        header.Fill((byte)' ');
        Encoding.Latin1.GetBytes(dict, header);
        header[^1] = (byte)'\n';
        return bytes;
    }

    /// <summary>
    /// Length of the header with its spaces and final newline. Like numpy, pads by 1..64 bytes (a full 64
    /// when the text would already end on the boundary), so its files and ours agree byte for byte.
    /// </summary>
    private static int PaddedLength(int textLength, int prefix)
    {
        int withNewline = textLength + 1;
        int pad = Alignment - (prefix + withNewline) % Alignment;
        return withNewline + pad;
    }

    private static DataFormatException Malformed(string name, string what) => new($"{name}: malformed .npy header: {what}");
}
