using System.IO.Hashing;

namespace Tangent.Sharding;

/// <summary>
/// The checksum of tile files and input fingerprints: XXH128, as lowercase hex. A non-cryptographic hash is enough
/// (it guards against torn writes, bit rot and mixed-up files, not against an adversary) and it runs at memory speed,
/// so every tile can be verified on every read, even on each pass of an out-of-core solve.
/// </summary>
public static class ContentHash
{
    /// <summary>Name of the algorithm as the manifest and tile records spell it.</summary>
    public const string Algorithm = "xxh128";

    /// <summary>The hash of <paramref name="bytes"/> as 32 lowercase hex digits.</summary>
    public static string Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[16];
        XxHash128.Hash(bytes, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>A hash computed piece by piece.</summary>
    public sealed class Incremental
    {
        private readonly XxHash128 _hash = new();

        /// <summary>Adds bytes.</summary>
        public void Append(ReadOnlySpan<byte> bytes) => _hash.Append(bytes);

        /// <summary>The hash of everything appended, as 32 lowercase hex digits.</summary>
        public string Hex()
        {
            Span<byte> digest = stackalloc byte[16];
            _hash.GetCurrentHash(digest);
            return Convert.ToHexStringLower(digest);
        }
    }
}
