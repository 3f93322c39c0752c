using Tangent.Layers;
using Tangent.Numerics;

namespace Tangent.Tests.Kernels;

/// <summary>The polar Gauss quadrature against closed forms and against sampling.</summary>
public class QuadratureTests
{
    private sealed class QuadratureOf(Activation closed) : QuadratureActivation(BivariateGaussianQuadrature.DefaultOrder)
    {
        public override string TypeName => "QuadratureOf" + closed.TypeName;
        public override double Apply(double x) => closed.Apply(x);
        public override double Derivative(double x) => closed.Derivative(x);
    }

    public static IEnumerable<object[]> Covariances()
    {
        // (v1, v2, correlation): generic, near ±1, exactly ±1, zero, unequal scales.
        foreach (var (v1, v2) in new[] { (1.0, 1.0), (0.3, 2.5), (4.0, 0.05) })
            foreach (var rho in new[] { -1.0, -0.999999, -0.6, 0.0, 0.37, 0.9, 0.999999, 1.0 })
                yield return [v1, v2, rho];
    }

    [Theory]
    [MemberData(nameof(Covariances))]
    public void AgreesWithClosedFormsAtDefaultOrder(double v1, double v2, double rho)
    {
        double cov = rho * Math.Sqrt(v1 * v2);
        foreach (Activation closed in new Activation[] { new Relu(), new Erf(1, 1, 0), new Erf(0.7, 1.8, 0.3), new LeakyRelu(0.1), new Gelu() })
        {
            var (k, t) = closed.Pair(v1, v2, cov);
            var (kq, tq) = new QuadratureOf(closed).Pair(v1, v2, cov);
            Assert.True(Math.Abs(kq - k) <= 1e-6 * Math.Max(Math.Abs(k), 1e-3), $"{closed.TypeName} T: quadrature {kq} vs closed {k}");
            Assert.True(Math.Abs(tq - t) <= 1e-6 * Math.Max(Math.Abs(t), 1e-3), $"{closed.TypeName} Tdot: quadrature {tq} vs closed {t}");
        }
    }

    [Fact]
    public void SelfLimitAgreesWithClosedForms()
    {
        foreach (Activation closed in new Activation[] { new Relu(), new Erf(1, 1, 0), new Gelu() })
            foreach (double v in new[] { 0.01, 1.0, 7.0 })
            {
                var (k, t) = closed.Self(v);
                var (kq, tq) = new QuadratureOf(closed).Self(v);
                Assert.Equal(k, kq, 1e-6 * Math.Max(k, 1e-3));
                Assert.Equal(t, tq, 1e-6 * Math.Max(t, 1e-3));
            }
    }

    [Fact]
    public void TanhAgreesWithMonteCarloWithinStandardError()
    {
        var rng = new Random(1234);
        const int samples = 400_000;
        double v1 = 0.8, v2 = 1.7, rho = 0.45, cov = rho * Math.Sqrt(v1 * v2);
        double sum = 0, sumSq = 0, sumD = 0, sumDSq = 0;
        var tanh = new Tanh();
        for (int s = 0; s < samples; s++)
        {
            double z1 = Gaussian(rng), z2 = Gaussian(rng);
            double u = Math.Sqrt(v1) * z1, w = Math.Sqrt(v2) * (rho * z1 + Math.Sqrt(1 - rho * rho) * z2);
            double f = tanh.Apply(u) * tanh.Apply(w), df = tanh.Derivative(u) * tanh.Derivative(w);
            sum += f; sumSq += f * f; sumD += df; sumDSq += df * df;
        }
        double mean = sum / samples, se = Math.Sqrt((sumSq / samples - mean * mean) / samples);
        double meanD = sumD / samples, seD = Math.Sqrt((sumDSq / samples - meanD * meanD) / samples);
        var (k, t) = tanh.Pair(v1, v2, cov);
        Assert.True(Math.Abs(k - mean) <= 4 * se, $"T: quadrature {k}, Monte Carlo {mean} ± {se}");
        Assert.True(Math.Abs(t - meanD) <= 4 * seD, $"Tdot: quadrature {t}, Monte Carlo {meanD} ± {seD}");
    }

    [Fact]
    public void RayleighRuleIntegratesMomentsExactly()
    {
        // ∫ r^k r e^{-r²/2} dr = 2^{k/2} Γ(k/2 + 1); a rule of order n is exact up to degree 2n − 1.
        var (x, w) = GaussRules.GaussRayleigh(12);
        for (int k = 0; k <= 23; k++)
        {
            double q = 0;
            for (int i = 0; i < x.Length; i++) q += w[i] * Math.Pow(x[i], k);
            double exact = Math.Pow(2, k / 2.0) * MathNet.Numerics.SpecialFunctions.Gamma(k / 2.0 + 1);
            Assert.Equal(exact, q, 1e-11 * exact);
        }
    }

    internal static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
