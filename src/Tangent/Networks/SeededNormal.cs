using System.Numerics;
using System.Text;

namespace Tangent.Networks;

/// <summary>
/// Reproducible Gaussian draws: every parameter tensor gets its own stream, seeded from the run's seed and the tensor's
/// name, so a network's initial weights depend on nothing else (not the thread count, not the order layers are built,
/// not the .NET version: SplitMix64 and Box–Muller are spelled out here, System.Random's algorithm is not promised).
/// </summary>
public static class SeededNormal
{
    /// <summary>The seed of the stream named <paramref name="name"/> under <paramref name="seed"/>.</summary>
    public static ulong Stream(ulong seed, string name)
    {
        // FNV-1a over the UTF-8 name, then mixed with the seed, so "1.weight" and "1.bias" are unrelated streams.
        ulong h = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(name)) { h ^= b; h *= 1099511628211UL; }
        return Mix(seed ^ Mix(h));
    }

    /// <summary>The seed of Monte Carlo sample <paramref name="sample"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static ulong Sample(ulong seed, long sample) => Mix(seed + 0x9E3779B97F4A7C15UL * (ulong)(sample + 1));

    /// <summary>Fills <paramref name="destination"/> with independent N(0, <paramref name="std"/>²) values of stream <paramref name="stream"/>.</summary>
    public static void Fill<T>(Span<T> destination, ulong stream, double std) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ulong state = stream;
        for (int i = 0; i < destination.Length; i += 2)
        {
            // Box–Muller on two 53-bit uniforms; u1 in (0, 1] so the logarithm is finite.
            double u1 = ((Next(ref state) >> 11) + 1) * (1.0 / (1UL << 53));
            double u2 = (Next(ref state) >> 11) * (1.0 / (1UL << 53));
            double r = std * Math.Sqrt(-2 * Math.Log(u1));
            var (sin, cos) = Math.SinCos(2 * Math.PI * u2);
            destination[i] = T.CreateTruncating(r * cos);
            if (i + 1 < destination.Length) destination[i + 1] = T.CreateTruncating(r * sin);
        }
    }

    private static ulong Next(ref ulong state) => Mix(state += 0x9E3779B97F4A7C15UL);

    /// <summary>SplitMix64's finaliser (Steele, Lea &amp; Flood 2014).</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
