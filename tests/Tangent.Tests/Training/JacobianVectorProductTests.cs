using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Tests.Networks;
using Tangent.Training;

namespace Tangent.Tests.Training;

/// <summary>
/// J·v from forward mode against the backward pass: ⟨u, J v⟩ must equal ⟨Jᵀu, v⟩ for every layer type (the exact rules
/// to round-off, the finite-difference fallback to its O(h⁴) truncation), and the network's parameters must be unchanged.
/// </summary>
public class JacobianVectorProductTests
{
    [Fact]
    public void Jvp_is_the_adjoint_of_the_backward_pass_on_random_networks()
    {
        int exact = 0, fallback = 0;
        foreach (int seed in Enumerable.Range(2000, 120))
        {
            var s = RandomNetworks.Create(seed);
            var network = FiniteNetwork<double>.Create(Architecture.Parse(s.Spec), s.Input, s.Options);
            var rng = new Random(seed);
            var v = network.Parameters.Select(p => p.Values.Select(_ => rng.NextDouble() - 0.5).ToArray()).ToArray();
            var before = network.Parameters.Select(p => (double[])p.Values.Clone()).ToArray();
            var jvp = new JacobianVectorProduct<double>(network);
            // Finite differences cannot differentiate a jump: sign networks are checked only on the exact path.
            if (!jvp.IsExact && s.Spec.Contains("sign")) continue;
            var jv = jvp.Compute(s.X1, v);
            for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], network.Parameters[i].Values);

            int n = s.X1.Rows, o = network.OutputCount;
            var u = Enumerable.Range(0, n * o).Select(_ => rng.NextDouble() - 0.5).ToArray();
            var y = network.Forward(s.X1);
            var grads = new ParameterGradients<double>(network);
            network.Backward(s.X1.Data, y.Data, u, n, 1, grads);
            double left = u.Zip(jv.Data).Sum(p => p.First * p.Second);
            double right = 0, scale = 0;
            for (int i = 0; i < v.Length; i++)
                for (int k = 0; k < v[i].Length; k++)
                {
                    double term = grads[network.Parameters[i]][k] * v[i][k];
                    right += term;
                    scale += Math.Abs(term);
                }
            double tolerance = (jvp.IsExact ? 1e-11 : 1e-6) * Math.Max(scale, 1e-3);
            Assert.True(Math.Abs(left - right) <= tolerance, $"seed {seed} {s}: <u, Jv> = {left}, <J'u, v> = {right} (exact: {jvp.IsExact})");
            if (jvp.IsExact) exact++; else fallback++;
        }
        Assert.True(exact > 20, $"only {exact} networks used the exact rules");
        Assert.True(fallback > 5, $"only {fallback} networks used the fallback");
    }

    [Fact]
    public void Jvp_of_a_dense_network_is_linear_in_the_tangent()
    {
        var network = FiniteNetwork<double>.Create(Architecture.Parse("dense(n=7) > erf > dense(n=5) > relu > dense(n=2)"), Tangent.Specs.TensorShape.Flat(3),
            new FiniteNetworkOptions { Source = new SeededParameters(4) });
        var rng = new Random(5);
        var x = new Matrix<double>(6, 3, Enumerable.Range(0, 18).Select(_ => rng.NextDouble() * 2 - 1).ToArray());
        double[][] Draw() => network.Parameters.Select(p => p.Values.Select(_ => rng.NextDouble() - 0.5).ToArray()).ToArray();
        var (a, b) = (Draw(), Draw());
        var sum = a.Zip(b, (p, q) => p.Zip(q, (s, t) => 2 * s - 3 * t).ToArray()).ToArray();
        var jvp = new JacobianVectorProduct<double>(network);
        Assert.True(jvp.IsExact);
        var (ja, jb, js) = (jvp.Compute(x, a), jvp.Compute(x, b), jvp.Compute(x, sum));
        for (int k = 0; k < js.Data.Length; k++) Assert.Equal(2 * ja.Data[k] - 3 * jb.Data[k], js.Data[k], 1e-12);
    }
}
