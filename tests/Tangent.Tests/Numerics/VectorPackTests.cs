using System.Numerics;
using System.Runtime.Intrinsics;
using Tangent.Layers;
using Tangent.Numerics;

namespace Tangent.Tests.Numerics;

/// <summary>
/// The arc-cosine transform on a pair of vectors (the interleaved form the kernel loops use) against the same transform
/// one vector at a time: the pair is a scheduling device only, so every lane must come out bit for bit the same.
/// </summary>
public class VectorPackTests
{
    [Fact]
    public void PairedTransformEqualsTwoSingleTransformsBitForBitInDouble() => PairEqualsSingles<double>();

    [Fact]
    public void PairedTransformEqualsTwoSingleTransformsBitForBitInFloat() => PairEqualsSingles<float>();

    private static void PairEqualsSingles<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count;
        var rng = new Random(5);
        // Correlations across [−1, 1], both branches of the reduction, the snap band next to ±1 and values past it.
        var special = new[] { -1.0, -0.9999999999999999, -0.5, -0.49999999999999994, 0.0, 1e-12, 0.5, 0.5000000000000001, 1 - 1e-15, 1.0, 1 + 1e-15 };
        var rho = special.Concat(Enumerable.Range(0, 4000).Select(_ => rng.NextDouble() * 2 - 1)).ToArray();
        foreach (var arc in new[] { new Relu().Vectors<T>(), new LeakyRelu(0.2).Vectors<T>(), new Abs().Vectors<T>() })
        {
            for (int start = 0; start + 2 * lanes <= rho.Length; start += 2 * lanes)
            {
                Vector512<T> Lanes(int from, Func<int, double> value)
                {
                    var v = new T[lanes];
                    for (int k = 0; k < lanes; k++) v[k] = T.CreateTruncating(value(from + k));
                    return Vector512.Create<T>(v);
                }
                // c = ρ·√(v1 v2) with varying variances, and the two root products the callers pass.
                var c0 = Lanes(start, i => rho[i] * (1 + 0.001 * i));
                var c1 = Lanes(start + lanes, i => rho[i] * (1 + 0.001 * i));
                var s0 = Lanes(start, i => (1 + 0.001 * i) * 0.7);
                var s1 = Lanes(start + lanes, i => (1 + 0.001 * i) * 0.7);
                var i0 = Lanes(start, i => 1 / (1 + 0.001 * i));
                var i1 = Lanes(start + lanes, i => 1 / (1 + 0.001 * i));

                var pair = arc.Apply(new Pack2<T>(c0, c1), new Pack2<T>(s0, s1), new Pack2<T>(i0, i1), out var tdotPair);
                var single0 = arc.Apply(c0, s0, i0, out var tdot0);
                var single1 = arc.Apply(c1, s1, i1, out var tdot1);

                for (int k = 0; k < lanes; k++)
                {
                    Assert.True(Same(pair.A[k], single0[k]) && Same(pair.B[k], single1[k]), $"{typeof(T).Name} kernel differs near ρ = {rho[start + k]:R}");
                    Assert.True(Same(tdotPair.A[k], tdot0[k]) && Same(tdotPair.B[k], tdot1[k]), $"{typeof(T).Name} derivative differs near ρ = {rho[start + k]:R}");
                }
            }
        }
    }

    private static bool Same<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> =>
        a == b && T.IsNegative(a) == T.IsNegative(b) || T.IsNaN(a) && T.IsNaN(b);
}
