using Tangent.Empirical;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Tests.Empirical;

/// <summary>The empirical NNGP against its formula, cross kernels against symmetric ones, and Monte Carlo means against their samples.</summary>
public class EmpiricalKernelTests
{
    private static Matrix<double> Random(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var m = new Matrix<double>(n, d);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = rng.NextDouble() * 2 - 1;
        return m;
    }

    [Theory]
    [InlineData(NetworkParameterization.Ntk)]
    [InlineData(NetworkParameterization.Standard)]
    public void Nngp_is_the_readout_covariance_of_the_features(NetworkParameterization p)
    {
        const double w1 = 1.3, b1 = 0.2, w2 = 0.9, b2 = 0.4;
        const int width = 6, d = 3;
        var net = FiniteNetwork<double>.Create(Architecture.Parse($"dense(w={w1},b={b1},n={width}) > tanh > dense(w={w2},b={b2},n=2)"), TensorShape.Flat(d),
            new FiniteNetworkOptions { Parameterization = p, Source = new SeededParameters(3) });
        var x = Random(4, d, 1);
        var k = EmpiricalNngp.Compute(net, x);
        var w = net.Parameters[0].Values;
        var bias = net.Parameters[1].Values;
        double mw = p == NetworkParameterization.Ntk ? w1 / Math.Sqrt(d) : 1, mb = p == NetworkParameterization.Ntk ? b1 : 1;
        double[] Features(int i) => Enumerable.Range(0, width).Select(u => Math.Tanh(mw * Enumerable.Range(0, d).Sum(q => w[u * d + q] * x[i, q]) + mb * bias[u])).ToArray();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
            {
                double dot = Features(i).Zip(Features(j)).Sum(t => t.First * t.Second);
                Assert.Equal(w2 * w2 / width * dot + b2 * b2, k.Data[i * 4 + j], 12);   // both parameterisations: Var over the readout's init
            }
        var full = EmpiricalNngp.Compute(net, x, full: true);
        Assert.Equal([4, 4, 2, 2], full.Shape);
        Assert.Equal(k.Data[5], full.Data[5 * 4 + 0]);
        Assert.Equal(k.Data[5], full.Data[5 * 4 + 3]);
        Assert.Equal(0, full.Data[5 * 4 + 1]);
    }

    [Fact]
    public void Cross_kernel_matches_the_symmetric_kernel_and_full_traces_to_traced()
    {
        var net = FiniteNetwork<double>.Create(Architecture.Parse("conv(f=[2,3],s=[1,2],pad=SAME,c=5) > gelu > avg_pool(window=2,padding=SAME) > flatten > dense(n=3)"),
            new TensorShape([5, 6], 2), new FiniteNetworkOptions { Source = new SeededParameters(8) });
        var x = Random(5, 60, 2);
        var sym = EmpiricalNtk.Compute(net, x, null, new EmpiricalOptions { Full = true });
        var cross = EmpiricalNtk.Compute(net, x, x.Clone(), new EmpiricalOptions { Full = true });
        Assert.True(Conformance.RelativeError(cross.Data, sym.Data) < 1e-13);
        var traced = EmpiricalNtk.Compute(net, x);
        Assert.True(Conformance.RelativeError(sym.Traced().Data, traced.Data) < 1e-13);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) Assert.Equal(traced.Data[i * 5 + j], traced.Data[j * 5 + i]);
    }

    [Fact]
    public void Monte_carlo_mean_is_the_mean_of_the_sampled_networks()
    {
        var arch = Architecture.Parse("dense(w=1.4,b=0.1) > relu > dense(n=2)");
        var input = TensorShape.Flat(3);
        var x = Random(4, 3, 5);
        var options = new FiniteNetworkOptions { Width = 16 };
        var mean = MonteCarloKernel.Mean(arch, input, x, null, options, new MonteCarloOptions { Samples = 3, Seed = 11, Threads = 2 });
        var expected = new double[16];
        for (int s = 0; s < 3; s++)
        {
            var net = FiniteNetwork<double>.Create(arch, input, options with { Source = new SeededParameters(SeededNormal.Sample(11, s)) });
            var k = EmpiricalNtk.Compute(net, x);
            for (int i = 0; i < 16; i++) expected[i] += k.Data[i] / 3;
        }
        Assert.True(Conformance.RelativeError(mean.Data, expected) < 1e-14);
    }

    [Fact]
    public void Log_log_fit_recovers_a_power_law_and_brackets_it()
    {
        double[] w = [16, 32, 64, 128, 256];
        var exact = LogLogFit.Fit(w, w.Select(v => 3 * Math.Pow(v, -0.5)).ToArray());
        Assert.Equal(-0.5, exact.Slope, 12);
        Assert.Equal(Math.Log(3), exact.Intercept, 12);
        var noisy = LogLogFit.Fit(w, w.Select((v, i) => Math.Pow(v, -0.5) * (1 + 0.05 * (i % 2 == 0 ? 1 : -1))).ToArray());
        Assert.InRange(-0.5, noisy.SlopeLow, noisy.SlopeHigh);
        Assert.True(noisy.SlopeHigh - noisy.SlopeLow < 0.3);
    }
}
