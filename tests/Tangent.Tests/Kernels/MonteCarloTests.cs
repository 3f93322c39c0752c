using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;

namespace Tangent.Tests.Kernels;

/// <summary>
/// Analytic kernels against wide random finite networks. For f(x) = n^(-1/2) Σ_k v_k φ(h_k(x)) with
/// h_k(x) = W_std w_k·x/√d + b_std β_k, every hidden unit is an independent sample of the quantities whose means are the
/// kernels: NNGP(x, x') = E[φ(h)φ(h')] and NTK = E[φ(h)φ(h') + v² φ'(h)φ'(h') (W_std² x·x'/d + b_std²)], so the sample
/// means must agree with the closed forms within their standard error.
/// </summary>
public class MonteCarloTests
{
    public static IEnumerable<object[]> Activations() =>
        new[] { "relu", "leaky_relu(alpha=0.2)", "abrelu(a=-0.3,b=1.5)", "abs", "sign", "erf(a=0.7,b=1.8,c=0.3)", "sigmoid_like", "gelu",
                "sin(a=1,b=1,c=0.3)", "cos(a=1.2,b=0.9,c=0.1)", "rbf(gamma=0.5)", "gaussian(a=1,b=-1)", "exp(a=1,b=0.5)", "monomial(degree=3)",
                "rectified_monomial(degree=2)", "polynomial(coef=[0.1,-0.5,0.3,0.2])", "identity", "tanh", "sigmoid", "softplus", "silu" }
            .Select(a => new object[] { a });

    [Theory]
    [MemberData(nameof(Activations))]
    public void OneHiddenLayerAgreesWithSampling(string activation)
    {
        const double w = 1.3, b = 0.2;
        var act = (Activation)Architecture.Parse(activation).Layers[0];
        var arch = Architecture.Parse($"dense(w={w},b={b}) > {activation} > dense");
        double[] x = [0.9, -0.4, 0.3], y = [0.2, 0.8, -0.5];
        int d = x.Length;
        var k = AnalyticKernel.Compute(arch, new Matrix<double>(1, d, x), new Matrix<double>(1, d, y));
        double inner = w * w * (x[0] * y[0] + x[1] * y[1] + x[2] * y[2]) / d + b * b;

        var rng = new Random(7);
        const int units = 400_000;
        var nngp = new RunningMean();
        var ntk = new RunningMean();
        for (int u = 0; u < units; u++)
        {
            double w0 = QuadratureTests.Gaussian(rng), w1 = QuadratureTests.Gaussian(rng), w2 = QuadratureTests.Gaussian(rng);
            double beta = QuadratureTests.Gaussian(rng), v = QuadratureTests.Gaussian(rng);
            double hx = w * (w0 * x[0] + w1 * x[1] + w2 * x[2]) / Math.Sqrt(d) + b * beta;
            double hy = w * (w0 * y[0] + w1 * y[1] + w2 * y[2]) / Math.Sqrt(d) + b * beta;
            double ff = act.Apply(hx) * act.Apply(hy);
            nngp.Add(ff);
            ntk.Add(ff + v * v * act.Derivative(hx) * act.Derivative(hy) * inner);
        }
        Assert.True(Math.Abs(k.Nngp[0, 0] - nngp.Mean) <= 4.5 * nngp.StandardError + 1e-12,
            $"{activation} NNGP: analytic {k.Nngp[0, 0]}, sampled {nngp.Mean} ± {nngp.StandardError}");
        Assert.True(Math.Abs(k.Ntk![0, 0] - ntk.Mean) <= 4.5 * ntk.StandardError + 1e-12,
            $"{activation} NTK: analytic {k.Ntk[0, 0]}, sampled {ntk.Mean} ± {ntk.StandardError}");
    }

    /// <summary>Welford's running mean and variance.</summary>
    internal sealed class RunningMean
    {
        private long _n;
        private double _mean, _m2;
        public void Add(double x) { _n++; double delta = x - _mean; _mean += delta / _n; _m2 += delta * (x - _mean); }
        public double Mean => _mean;
        public double StandardError => Math.Sqrt(_m2 / (_n - 1) / _n);
    }
}
