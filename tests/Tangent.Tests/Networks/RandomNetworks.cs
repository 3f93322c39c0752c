using System.Globalization;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Tests.Networks;

/// <summary>
/// Random small networks of every layer type (Dense, Conv with any filter/stride/padding in 1-D and 2-D, pooling, global
/// pooling, Flatten, LayerNorm, Residual, Product, every activation) with inputs, built from one integer seed so a
/// failing case can be replayed.
/// </summary>
public static class RandomNetworks
{
    public static readonly string[] Activations =
        ["relu", "leaky_relu(alpha=0.2)", "abrelu(a=-0.3,b=1.5)", "abs", "sign", "erf", "erf(a=0.7,b=1.8,c=0.3)", "sigmoid_like", "gelu",
         "sin(a=1,b=0.8,c=0.3)", "cos(a=1.2,b=0.9,c=0.1)", "rbf(gamma=0.5)", "gaussian(a=1,b=-0.5)", "exp(a=1,b=0.5)", "monomial(degree=3)",
         "rectified_monomial(degree=2)", "hermite(degree=3)", "polynomial(coef=[0.1,-0.5,0.3,0.2])", "identity", "tanh", "sigmoid", "softplus", "silu"];

    public sealed record Sample(string Spec, TensorShape Input, Matrix<double> X1, Matrix<double> X2, FiniteNetworkOptions Options)
    {
        public override string ToString() => $"{Spec} on {Input} ({Options.Parameterization?.ToString() ?? "spec"})";
    }

    public static Sample Create(int seed)
    {
        var rng = new Random(seed);
        string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        string Act() => Activations[rng.Next(Activations.Length)];
        string W() => $"w={F(0.5 + rng.NextDouble())},b={F(0.1 + 0.3 * rng.NextDouble())}";
        int Width() => rng.Next(2, 6);
        var parts = new List<string>();
        TensorShape input;
        int rank = rng.Next(3);   // 0: flat, 1: sequences, 2: images
        if (rank == 0)
        {
            input = TensorShape.Flat(rng.Next(1, 5));
            parts.Add($"dense({W()},n={Width()})");
            int blocks = rng.Next(1, 4);
            for (int i = 0; i < blocks; i++)
                parts.Add(rng.Next(5) switch
                {
                    // LayerNorm right after a Dense layer: its channels then differ almost surely (variance > 0).
                    0 => $"dense({W()},n={Width()}) > layer_norm > {Act()}",
                    1 => $"residual({Act()} > dense({W()}))",
                    2 => $"product(dense({W()}) > {Act()}, {Act()})",
                    3 => $"{Act()} > dense({W()},n={Width()})",
                    _ => Act(),
                });
        }
        else
        {
            int[] spatial = rank == 1 ? [rng.Next(3, 8)] : [rng.Next(3, 6), rng.Next(3, 6)];
            input = new TensorShape(spatial, rng.Next(1, 3));
            int blocks = rng.Next(1, 4);
            for (int i = 0; i < blocks; i++)
            {
                switch (rng.Next(6))
                {
                    case 0 or 1:
                    {
                        string pad = new[] { "SAME", "VALID", "CIRCULAR" }[rng.Next(3)];
                        var f = spatial.Select(s => rng.Next(1, Math.Min(pad == "VALID" ? s : 4, 3) + 1)).ToArray();
                        var st = spatial.Select(_ => rng.Next(1, 3)).ToArray();
                        parts.Add($"conv(f=[{string.Join(",", f)}],s=[{string.Join(",", st)}],pad={pad},c={Width()},{W()}) > {Act()}");
                        spatial = spatial.Select((s, a) => pad == "VALID" ? (s - f[a]) / st[a] + 1 : (s + st[a] - 1) / st[a]).ToArray();
                        break;
                    }
                    case 2:
                    {
                        if (spatial.Any(s => s < 2)) break;
                        string pad = rng.Next(2) == 0 ? "VALID" : "SAME";
                        var win = spatial.Select(_ => 2).ToArray();
                        var st = spatial.Select(_ => rng.Next(1, 3)).ToArray();
                        parts.Add($"{(rng.Next(2) == 0 ? "avg_pool" : "sum_pool")}(window=[{string.Join(",", win)}],strides=[{string.Join(",", st)}],padding={pad})");
                        spatial = spatial.Select((s, a) => pad == "VALID" ? (s - 2) / st[a] + 1 : (s + st[a] - 1) / st[a]).ToArray();
                        break;
                    }
                    case 3: parts.Add($"residual({Act()} > conv(f=3,pad=SAME,{W()}))"); break;
                    case 4: parts.Add($"product(conv(f=2,pad=SAME,{W()}) > {Act()}, dense({W()}) > {Act()})"); break;
                    default: parts.Add($"dense({W()},n={Width()}) > layer_norm > {Act()}"); break;
                }
            }
            parts.Add(new[] { "flatten", "global_avg_pool", "global_sum_pool" }[rng.Next(3)]);
            if (rng.Next(2) == 0) parts.Add($"dense({W()},n={Width()}) > {Act()}");
        }
        parts.Add($"dense({W()},n={rng.Next(1, 4)})");
        NetworkParameterization? p = rng.Next(5) switch { 0 => null, 1 => NetworkParameterization.Ntk, 2 => NetworkParameterization.Standard, 3 => NetworkParameterization.Mup, _ => NetworkParameterization.MeanField };
        int size = input.Positions * input.Channels;
        Matrix<double> X(int n) { var m = new Matrix<double>(n, size); for (int i = 0; i < m.Data.Length; i++) m.Data[i] = 2 * rng.NextDouble() - 1; return m; }
        return new Sample(string.Join(" > ", parts), input, X(rng.Next(1, 5)), X(rng.Next(1, 4)),
            new FiniteNetworkOptions { Parameterization = p, Width = 3, Source = new SeededParameters((ulong)seed) });
    }
}
