using System.Runtime.Intrinsics;
using Tangent.Numerics;

namespace Tangent.Tests.Numerics;

/// <summary>The vectorised elementary functions against the runtime's scalar ones, across their whole domain.</summary>
public class VectorMathTests
{
    private static IEnumerable<double> Domain()
    {
        var rng = new Random(17);
        foreach (var x in new[] { -1.0, -0.9999999999999999, -0.5000000000000001, -0.5, -0.49999999999999994, -1e-300, 0.0, 1e-12, 0.3, 0.5, 0.75, 0.999, 1 - 1e-15, 1.0 })
            yield return x;
        for (int i = 0; i < 20000; i++) yield return rng.NextDouble() * 2 - 1;
    }

    [Fact]
    public void AsinCosMatchesMathAsinAndSqrtInDouble()
    {
        foreach (var chunk in Domain().Chunk(8).Where(c => c.Length == 8))
        {
            var (asin, cos) = VectorMath.AsinCos(Vector512.Create(chunk));
            for (int k = 0; k < 8; k++)
            {
                double x = chunk[k];
                // Above |x| = 1/2, π/2 − 2w cancels up to a factor 3 (the result is at least π/6): 1e-15 is ~4.5 ulp.
                Assert.True(Math.Abs(asin[k] - Math.Asin(x)) <= 1e-15 * Math.Max(Math.Abs(Math.Asin(x)), 1e-300) + 1e-300, $"asin({x:R}) = {asin[k]:R}, expected {Math.Asin(x):R}");
                Assert.True(Math.Abs(cos[k] - Math.Sqrt((1 - x) * (1 + x))) <= 4e-16, $"cos(asin({x:R})) = {cos[k]:R}");
                var (s, c) = VectorMath.AsinCosScalar(x);
                // The twin takes the correctly rounded square root, the vector code one within 1 ulp of it: the two agree
                // to a few ulp, not bit for bit.
                Assert.True(Math.Abs(asin[k] - s) <= 4 * Math.ScaleB(1, Math.ILogB(Math.Max(Math.Abs(s), 1e-300)) - 52), $"twin asin({x:R}): {s:R} vs {asin[k]:R}");
                Assert.True(Math.Abs(cos[k] - c) <= 4 * Math.ScaleB(1, Math.ILogB(Math.Max(c, 1e-300)) - 52), $"twin cos({x:R}): {c:R} vs {cos[k]:R}");
            }
        }
    }

    [Fact]
    public void AsinOfCorrelationMatchesAsinAwayFromOneAndIsExactlyHalfPiWithinFourUlpOfIt()
    {
        double snapDistance = 4 * (1 - Math.BitDecrement(1.0));
        var snapZ = Vector512.Create(snapDistance / 2);
        var inside = new[] { 1.0, Math.BitDecrement(1.0), 1 - 2 * (1 - Math.BitDecrement(1.0)), 1 - snapDistance, Math.BitIncrement(1.0), 1 + 1e-15 };
        var magnitudes = Domain().Select(Math.Abs).Where(a => a < 1 - snapDistance).Concat(inside).ToArray();
        foreach (var chunk in magnitudes.Chunk(8).Where(c => c.Length == 8))
        {
            var asin = VectorMath.AsinOfCorrelation(Vector512.Create(chunk), snapZ, out var cos);
            for (int k = 0; k < 8; k++)
            {
                double a = chunk[k];
                if (a >= 1 - snapDistance)
                {
                    // Counted as correlation 1: θ = 0 exactly, and the cosine negligible (2e-150, not 0: see the remarks).
                    Assert.Equal(Math.PI / 2, asin[k]);
                    Assert.True(cos[k] >= 0 && cos[k] < 1e-149, $"cos at |ρ| = {a:R}: {cos[k]:R}");
                }
                else
                {
                    Assert.True(Math.Abs(asin[k] - Math.Asin(a)) <= 1e-15 * Math.Max(Math.Asin(a), 1e-300) + 1e-300, $"asin({a:R}) = {asin[k]:R}, expected {Math.Asin(a):R}");
                    Assert.True(Math.Abs(cos[k] - Math.Sqrt((1 - a) * (1 + a))) <= 4e-16, $"cos(asin({a:R})) = {cos[k]:R}");
                }
            }
        }
    }

    [Fact]
    public void AsinCosIsAccurateToSinglePrecisionInFloat()
    {
        foreach (var chunk in Domain().Select(x => (float)x).Chunk(16).Where(c => c.Length == 16))
        {
            var (asin, cos) = VectorMath.AsinCos(Vector512.Create(chunk));
            for (int k = 0; k < 16; k++)
            {
                double x = chunk[k];
                // Single precision: 6e-8 per ulp, times the same factor-3 cancellation above |x| = 1/2.
                Assert.True(Math.Abs(asin[k] - Math.Asin(x)) <= 4e-7 * Math.Max(Math.Abs(Math.Asin(x)), 1e-30), $"asin({x:R}) = {asin[k]:R}, expected {Math.Asin(x):R}");
                Assert.True(Math.Abs(cos[k] - Math.Sqrt((1 - x) * (1 + x))) <= 3e-7, $"cos(asin({x:R})) = {cos[k]:R}");
            }
        }
    }

    [Fact]
    public void SqrtIsCorrectlyRoundedOrWithinOneUlp()
    {
        var rng = new Random(3);
        var values = new double[4096];
        for (int i = 0; i < values.Length; i++) values[i] = Math.Exp(rng.NextDouble() * 80 - 40);
        values[0] = 0; values[1] = 1; values[2] = 4; values[3] = 2.2250738585072014e-308; // the smallest normal number: the estimate instruction flushes subnormals
        foreach (var chunk in values.Chunk(8))
        {
            var r = VectorMath.Sqrt(Vector512.Create(chunk));
            for (int k = 0; k < 8; k++)
            {
                double exact = Math.Sqrt(chunk[k]);
                Assert.True(Math.Abs(r[k] - exact) <= Math.BitIncrement(exact) - exact, $"sqrt({chunk[k]:R}) = {r[k]:R}, expected {exact:R}");
            }
        }
    }
}
