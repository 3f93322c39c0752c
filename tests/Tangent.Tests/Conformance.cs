using System.Text.Json;
using Tangent.Linalg;

namespace Tangent.Tests;

/// <summary>Loads the reference values of tests/Tangent.Tests/fixtures/conformance (copied from shared/conformance).</summary>
public static class Conformance
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "fixtures", "conformance");

    private static readonly Lazy<JsonDocument> AnalyticDoc = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "analytic.json"))));

    public static IEnumerable<JsonElement> AnalyticCases => AnalyticDoc.Value.RootElement.GetProperty("cases").EnumerateArray();

    public static JsonElement AnalyticCase(string name) => AnalyticCases.First(c => c.GetProperty("name").GetString() == name);

    public static IEnumerable<object[]> AnalyticNames(bool images) =>
        AnalyticCases.Where(c => Rank(c.GetProperty("x1")) == (images ? 4 : 2)).Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static int Rank(JsonElement e) => e.ValueKind == JsonValueKind.Array ? 1 + Rank(e[0]) : 0;

    /// <summary>Flattens a nested JSON array into a matrix whose rows are the first axis.</summary>
    public static Matrix<double> ToMatrix(JsonElement e)
    {
        var flat = new List<double>();
        void Walk(JsonElement x) { if (x.ValueKind == JsonValueKind.Array) foreach (var y in x.EnumerateArray()) Walk(y); else flat.Add(x.GetDouble()); }
        Walk(e);
        int rows = e.GetArrayLength();
        return new Matrix<double>(rows, flat.Count / rows, flat.ToArray());
    }

    /// <summary>max |a − b| / max |b|, the fixtures' agreement measure.</summary>
    public static double RelativeError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(actual[i] - expected[i]);
            maxDiff = double.IsNaN(diff) ? double.PositiveInfinity : Math.Max(maxDiff, diff);
            maxRef = Math.Max(maxRef, Math.Abs(expected[i]));
        }
        return maxDiff / Math.Max(maxRef, 1e-12);
    }

    /// <summary>The issues' bar: relative error at most 1e-9 over the whole matrix.</summary>
    public const double Tolerance = 1e-9;

    /// <summary>
    /// The reference's own diagonal error for x1-x1 kernels: neural-tangents takes arccos (or arcsin) of a correlation
    /// computed as 1 − O(ulp), where the derivative is infinite, so its diagonal is off by up to sqrt(2 ulp) ≈ 2e-8
    /// relative (see PERFORMANCE.md, "Numerics"); Tangent's diagonal is the exact limit, checked separately.
    /// </summary>
    public const double ReferenceDiagonalTolerance = 2.2e-8;

    public static void AssertClose(Matrix<double> actual, JsonElement expected, string what)
    {
        double err = RelativeError(actual.Data, ToMatrix(expected).Data);
        Assert.True(err <= Tolerance, $"{what}: relative error {err:e2} > {Tolerance:e0}");
    }

    /// <summary>Off-diagonal entries to <see cref="Tolerance"/>, diagonal to <see cref="ReferenceDiagonalTolerance"/>.</summary>
    public static void AssertSymmetricClose(Matrix<double> actual, JsonElement expected, string what)
    {
        var e = ToMatrix(expected);
        double scale = 0;
        foreach (var v in e.Data) scale = Math.Max(scale, Math.Abs(v));
        double off = 0, diag = 0;
        for (int i = 0; i < e.Rows; i++)
            for (int j = 0; j < e.Cols; j++)
            {
                double d = Math.Abs(actual[i, j] - e[i, j]) / Math.Max(scale, 1e-12);
                if (double.IsNaN(d)) d = double.PositiveInfinity;
                if (i == j) diag = Math.Max(diag, d); else off = Math.Max(off, d);
            }
        Assert.True(off <= Tolerance, $"{what}: off-diagonal relative error {off:e2} > {Tolerance:e0}");
        Assert.True(diag <= ReferenceDiagonalTolerance, $"{what}: diagonal relative error {diag:e2} > {ReferenceDiagonalTolerance:e1}");
    }
}
