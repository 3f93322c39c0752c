using Tangent.Layers;
using Tangent.Networks;

namespace Tangent.Tests.Networks;

/// <summary>
/// The backward pass of every layer type against central finite differences of the forward pass: gradients of
/// L = Σ v ⊙ f(x) with respect to parameters (what a trainer uses, through <see cref="ParameterGradients{T}"/>) and to
/// the input (what flows between layers). Seeds are fixed so a failure replays with <see cref="RandomNetworks.Create"/>.
/// </summary>
public class BackwardTests
{
    [Fact]
    public void Backward_matches_finite_differences_on_random_networks()
    {
        foreach (int seed in Enumerable.Range(1000, 150))
        {
            var s = RandomNetworks.Create(seed);
            var network = FiniteNetwork<double>.Create(Architecture.Parse(s.Spec), s.Input, s.Options);
            var x = s.X1;
            int n = x.Rows, o = network.OutputCount;
            var rng = new Random(seed);
            var v = Enumerable.Range(0, n * o).Select(_ => rng.NextDouble() - 0.5).ToArray();
            double Loss() { var y = network.Forward(x); double l = 0; for (int i = 0; i < v.Length; i++) l += v[i] * y.Data[i]; return l; }

            var y0 = network.Forward(x);
            var grads = new ParameterGradients<double>(network);
            network.Backward(x.Data, y0.Data, v, n, 1, grads);
            var dx = new double[x.Data.Length];
            network.Forward(x);
            network.Body.Backward(x.Data, y0.Data, v, dx, n, 1, null);

            var checks = new List<(string What, double Analytic, double Numeric)>();
            foreach (var p in network.Parameters)
                for (int t = 0; t < 3; t++)
                {
                    int i = rng.Next(p.Values.Length);
                    double keep = p.Values[i], h = 1e-6 * Math.Max(1, Math.Abs(keep));
                    p.Values[i] = keep + h; double up = Loss();
                    p.Values[i] = keep - h; double down = Loss();
                    p.Values[i] = keep;
                    checks.Add(($"{p.Name}[{i}]", grads[p][i], (up - down) / (2 * h)));
                }
            for (int t = 0; t < 4; t++)
            {
                int i = rng.Next(x.Data.Length);
                double keep = x.Data[i], h = 1e-6;
                x.Data[i] = keep + h; double up = Loss();
                x.Data[i] = keep - h; double down = Loss();
                x.Data[i] = keep;
                checks.Add(($"x[{i}]", dx[i], (up - down) / (2 * h)));
            }
            double scale = checks.Max(c => Math.Max(Math.Abs(c.Analytic), Math.Abs(c.Numeric)));
            foreach (var c in checks)
                Assert.True(Math.Abs(c.Analytic - c.Numeric) <= 1e-6 * Math.Max(scale, 1e-3),
                    $"seed {seed}: {s}: d/d{c.What} backward {c.Analytic:e6}, finite difference {c.Numeric:e6} (scale {scale:e2})");
        }
    }

    [Fact]
    public void Float32_network_agrees_with_float64()
    {
        foreach (int seed in Enumerable.Range(2000, 40))
        {
            var s = RandomNetworks.Create(seed);
            var arch = Architecture.Parse(s.Spec);
            var y64 = FiniteNetwork<double>.Create(arch, s.Input, s.Options).Forward(s.X1);
            var x32 = new Tangent.Linalg.Matrix<float>(s.X1.Rows, s.X1.Cols, s.X1.Data.Select(d => (float)d).ToArray());
            var y32 = FiniteNetwork<float>.Create(arch, s.Input, s.Options).Forward(x32);
            double err = Conformance.RelativeError(y32.Data.Select(f => (double)f).ToArray(), y64.Data);
            Assert.True(err < 1e-4, $"seed {seed}: {s}: float32 output differs by {err:e2}");
        }
    }
}
