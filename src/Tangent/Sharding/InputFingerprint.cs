using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Tangent.Sharding;

/// <summary>
/// What identifies an input set in a store's manifest: its shape (examples first) and the hash of its values as the
/// kernel sees them (after any scaling or truncation), so a rerun on different data, or differently preprocessed data,
/// is refused instead of silently mixing two kernels in one store.
/// </summary>
/// <param name="Shape">Examples, then the shape of one example (<c>[N, d]</c>, or <c>[N, H, W, C]</c>).</param>
/// <param name="Hash">XXH128 of the shape and the float64 values in C order.</param>
public sealed record InputFingerprint(int[] Shape, string Hash)
{
    /// <summary>The fingerprint of <paramref name="values"/> (C order) of shape <paramref name="shape"/>.</summary>
    public static InputFingerprint Of(ReadOnlySpan<double> values, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var hash = new ContentHash.Incremental();
        Span<byte> word = stackalloc byte[8];
        // The rank and every dimension go first, so [6, 4] and [4, 6] of the same values differ.
        BinaryPrimitives.WriteInt64LittleEndian(word, shape.Length);
        hash.Append(word);
        foreach (int d in shape)
        {
            BinaryPrimitives.WriteInt64LittleEndian(word, d);
            hash.Append(word);
        }
        if (BitConverter.IsLittleEndian) hash.Append(MemoryMarshal.AsBytes(values));
        else
            foreach (double v in values)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(word, v);
                hash.Append(word);
            }
        return new InputFingerprint((int[])shape.Clone(), hash.Hex());
    }

    /// <summary>Equal shapes and hashes.</summary>
    public bool Matches(InputFingerprint? other) => other is not null && Shape.AsSpan().SequenceEqual(other.Shape) && Hash == other.Hash;

    /// <inheritdoc/>
    public override string ToString() => $"[{string.Join(", ", Shape)}] {Hash[..Math.Min(12, Hash.Length)]}";
}
