using System.Globalization;
using System.Text.Json;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Tests.Empirical;

/// <summary>
/// The cases of fixtures/conformance/empirical.json (torch.func Jacobian contraction, float64) as Tangent specs and
/// weights: each fixture parameter is mapped to the name the layer at its spec position has ({index}.weight/.bias).
/// </summary>
public static class EmpiricalFixtures
{
    private static readonly Lazy<JsonDocument> Doc = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Conformance.Dir, "empirical.json"))));

    public static IEnumerable<object[]> Names() => Doc.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    public sealed record Case(string Name, string Spec, TensorShape InputShape, List<(string Name, int[] Shape, double[] Data)> Weights,
        Matrix<double> X1, Matrix<double> X2, Matrix<double> F1, double[] Ntk12, double[] Ntk11, int Outputs);

    public static Case Load(string name)
    {
        var c = Doc.Value.RootElement.GetProperty("cases").EnumerateArray().First(e => e.GetProperty("name").GetString() == name);
        var p = c.GetProperty("params");
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var weights = new List<(string, int[], double[])>();
        void Add(string tensor, string key) => weights.Add((tensor, Shape(p.GetProperty(key)), Flat(p.GetProperty(key))));
        string spec;
        switch (name)
        {
            case "mlp_relu":
            {
                string w = F(c.GetProperty("W_std").GetDouble()), b = F(c.GetProperty("b_std").GetDouble());
                int h0 = Shape(p.GetProperty("W0"))[0], h1 = Shape(p.GetProperty("W1"))[0], o = Shape(p.GetProperty("W2"))[0];
                spec = $"dense(w={w},b={b},n={h0}) > relu > dense(w={w},b={b},n={h1}) > relu > dense(w={w},b={b},n={o})";
                Add("0.weight", "W0"); Add("0.bias", "b0"); Add("2.weight", "W1"); Add("2.bias", "b1"); Add("4.weight", "W2"); Add("4.bias", "b2");
                break;
            }
            case "cnn_relu":
            {
                string w = F(c.GetProperty("W_std").GetDouble()), b = F(c.GetProperty("b_std").GetDouble());
                int c0 = Shape(p.GetProperty("C0"))[3], c1 = Shape(p.GetProperty("C1"))[3], o = Shape(p.GetProperty("W"))[0];
                spec = $"conv(f=3,pad=SAME,c={c0},w={w},b={b}) > relu > conv(f=3,pad=SAME,c={c1},w={w},b={b}) > relu > flatten > dense(w={w},b={b},n={o})";
                Add("0.weight", "C0"); Add("0.bias", "c0"); Add("2.weight", "C1"); Add("2.bias", "c1"); Add("5.weight", "W"); Add("5.bias", "b");
                break;
            }
            case "mlp_sp_tanh":
            {
                int h = Shape(p.GetProperty("W0"))[0], o = Shape(p.GetProperty("W1"))[0];
                spec = $"dense(n={h},p=standard) > tanh > dense(n={o},p=standard)";
                Add("0.weight", "W0"); Add("0.bias", "b0"); Add("2.weight", "W1"); Add("2.bias", "b1");
                break;
            }
            default: throw new ArgumentException($"no spec for fixture case {name}");
        }
        var x1Shape = Shape(c.GetProperty("x1"));
        var input = x1Shape.Length == 2 ? TensorShape.Flat(x1Shape[1]) : new TensorShape(x1Shape[1..^1], x1Shape[^1]);
        var f1 = Conformance.ToMatrix(c.GetProperty("f_x1"));
        return new Case(name, spec, input, weights, Conformance.ToMatrix(c.GetProperty("x1")), Conformance.ToMatrix(c.GetProperty("x2")), f1,
            Flat(c.GetProperty("ntk_12_full")), Flat(c.GetProperty("ntk_11_full")), f1.Cols);
    }

    public static int[] Shape(JsonElement e)
    {
        var s = new List<int>();
        while (e.ValueKind == JsonValueKind.Array) { s.Add(e.GetArrayLength()); e = e[0]; }
        return [.. s];
    }

    public static double[] Flat(JsonElement e)
    {
        var flat = new List<double>();
        void Walk(JsonElement x) { if (x.ValueKind == JsonValueKind.Array) foreach (var y in x.EnumerateArray()) Walk(y); else flat.Add(x.GetDouble()); }
        Walk(e);
        return [.. flat];
    }
}
