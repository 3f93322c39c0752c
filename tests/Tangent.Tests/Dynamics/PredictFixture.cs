using System.Text.Json;
using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Tests.Dynamics;

/// <summary>The cases of fixtures/conformance/predict.json (neural-tangents' predict module, float64).</summary>
public static class PredictFixture
{
    private static readonly Lazy<JsonDocument> Doc = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Conformance.Dir, "predict.json"))));

    public static IEnumerable<JsonElement> Cases => Doc.Value.RootElement.GetProperty("cases").EnumerateArray();

    public static IEnumerable<object[]> MseCaseIndices() =>
        Cases.Select((c, i) => (c, i)).Where(p => p.c.GetProperty("kind").GetString() == "gradient_descent_mse").Select(p => new object[] { p.i });

    public static JsonElement Case(int index) => Cases.ElementAt(index);

    public static JsonElement Single(string kind) => Cases.Single(c => c.GetProperty("kind").GetString() == kind);

    public static Matrix<double> M(JsonElement c, string key) => Conformance.ToMatrix(c.GetProperty(key));

    public static double[] Times(JsonElement c) => c.GetProperty("t").EnumerateArray().Select(x => x.GetDouble()).ToArray();

    /// <summary>A [T, N, O] array as one flat vector (C order).</summary>
    public static double[] Flat(JsonElement e)
    {
        var flat = new List<double>();
        void Walk(JsonElement x) { if (x.ValueKind == JsonValueKind.Array) foreach (var y in x.EnumerateArray()) Walk(y); else flat.Add(x.GetDouble()); }
        Walk(e);
        return [.. flat];
    }

    /// <summary>The ensemble results: key like "ntk_t1.0" or "nngp_tNone" → (kind, time).</summary>
    public static IEnumerable<object[]> EnsembleKeys() =>
        Single("gradient_descent_mse_ensemble").GetProperty("results").EnumerateObject().Select(p => new object[] { p.Name });

    public static (Tangent.Dynamics.KernelKind Kind, double Time) ParseKey(string key)
    {
        var parts = key.Split("_t");
        var kind = parts[0] == "ntk" ? Tangent.Dynamics.KernelKind.Ntk : Tangent.Dynamics.KernelKind.Nngp;
        double t = parts[1] == "None" ? double.PositiveInfinity : double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        return (kind, t);
    }

    public static KernelResult<double> KernelPair(JsonElement c, string which) => new(M(c, $"nngp_{which}"), M(c, $"ntk_{which}"));

    public static void AssertClose(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double tolerance, string what)
    {
        double err = Conformance.RelativeError(actual, expected);
        Assert.True(err <= tolerance, $"{what}: relative error {err:e2} > {tolerance:e0}");
    }

    /// <summary>The bar for predict.json: 1e-8 relative over each array.</summary>
    public const double Tolerance = 1e-8;
}
