using Tangent.Networks;

namespace Tangent.Experiments;

/// <summary>
/// A seeded stream of random numbers for drawing task data: SplitMix64 uniforms and <see cref="SeededNormal"/>'s
/// normals, so a task's sample depends only on its seed and name (not on the .NET version or the thread count).
/// </summary>
public struct TaskRandom
{
    private ulong _state;

    /// <summary>The stream named <paramref name="name"/> under <paramref name="seed"/>.</summary>
    public TaskRandom(ulong seed, string name) => _state = SeededNormal.Stream(seed, name);

    /// <summary>A standard normal value.</summary>
    public double Normal() => SeededNormal.Next(ref _state);

    /// <summary>A uniform value in [0, 1).</summary>
    public double Uniform()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>+1 or −1 with equal probability.</summary>
    public double Sign() => Uniform() < 0.5 ? -1 : 1;

    /// <summary>An integer in [0, <paramref name="count"/>).</summary>
    public int Below(int count) => Math.Min(count - 1, (int)(Uniform() * count));

    /// <summary>A uniformly random permutation of 0..count−1 (Fisher–Yates).</summary>
    public int[] Permutation(int count)
    {
        var p = Enumerable.Range(0, count).ToArray();
        for (int i = count - 1; i > 0; i--)
        {
            int j = Below(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
