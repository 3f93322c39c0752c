using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Tests.Kernels;

/// <summary>
/// Analytic convolutional kernels against wide random finite conv nets with one hidden convolution: every hidden
/// channel is an independent sample, so the per-channel averages below must agree with the closed form within their
/// standard error. With pooling, f = n^(-1/2) Σ_k v_k mean_p φ(h_kp); with flattening, f = (nP)^(-1/2) Σ_kp v_kp φ(h_kp).
/// </summary>
public class ConvMonteCarloTests
{
    [Theory]
    [InlineData("SAME", 1, true)]
    [InlineData("VALID", 2, true)]
    [InlineData("CIRCULAR", 1, false)]
    [InlineData("SAME", 2, false)]
    public void OneHiddenConvolutionAgreesWithSampling(string padding, int stride, bool pool)
    {
        const int side = 5, channels = 2, f = 3;
        const double w = 1.3, b = 0.2;
        var rng = new Random(11);
        var x = Enumerable.Range(0, side * side * channels).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var y = Enumerable.Range(0, side * side * channels).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var arch = Architecture.Parse($"conv(f={f},s={stride},pad={padding},w={w},b={b}) > relu > {(pool ? "global_avg_pool" : "flatten")} > dense");
        var shape = new TensorShape([side, side], channels);
        var k = AnalyticKernel.ComputeImages(arch, new Matrix<double>(1, x.Length, x), shape, new Matrix<double>(1, y.Length, y));

        var win = Conv.Resolve([f], [stride], Enum.Parse<Padding>(padding, true), shape, "Conv");
        int outP = win.Output.P, taps = win.Taps;
        // Input-level conv kernel K1(p, p') between output positions (what the gradient of the conv weights contributes).
        var k1 = new double[outP, outP];
        for (int p = 0; p < outP; p++)
            for (int q = 0; q < outP; q++)
            {
                double s = 0;
                for (int kh = 0; kh < f; kh++)
                    for (int kw = 0; kw < f; kw++)
                    {
                        int a = win.Source(p / win.W.Out, p % win.W.Out, kh, kw), c = win.Source(q / win.W.Out, q % win.W.Out, kh, kw);
                        if (a < 0 || c < 0) continue;
                        for (int ch = 0; ch < channels; ch++) s += x[a * channels + ch] * y[c * channels + ch];
                    }
                k1[p, q] = w * w * s / (channels * taps) + b * b;
            }

        var nngp = new MonteCarloTests.RunningMean();
        var ntk = new MonteCarloTests.RunningMean();
        var weights = new double[taps * channels];
        var hx = new double[outP];
        var hy = new double[outP];
        const int samples = 100_000;
        for (int sample = 0; sample < samples; sample++)
        {
            for (int i = 0; i < weights.Length; i++) weights[i] = QuadratureTests.Gaussian(rng);
            double beta = QuadratureTests.Gaussian(rng);
            for (int p = 0; p < outP; p++)
            {
                double sx = 0, sy = 0;
                for (int kh = 0; kh < f; kh++)
                    for (int kw = 0; kw < f; kw++)
                    {
                        int src = win.Source(p / win.W.Out, p % win.W.Out, kh, kw);
                        if (src < 0) continue;
                        for (int ch = 0; ch < channels; ch++)
                        {
                            double wt = weights[(kh * f + kw) * channels + ch];
                            sx += wt * x[src * channels + ch];
                            sy += wt * y[src * channels + ch];
                        }
                    }
                hx[p] = w * sx / Math.Sqrt(channels * taps) + b * beta;
                hy[p] = w * sy / Math.Sqrt(channels * taps) + b * beta;
            }
            double kk = 0, tt = 0;
            if (pool)
            {
                double gx = hx.Average(h => Math.Max(h, 0)), gy = hy.Average(h => Math.Max(h, 0));
                kk = gx * gy;
                for (int p = 0; p < outP; p++)
                    for (int q = 0; q < outP; q++)
                        if (hx[p] > 0 && hy[q] > 0) tt += k1[p, q];
                tt /= (double)outP * outP;
                double v = QuadratureTests.Gaussian(rng);
                tt *= v * v;
            }
            else
            {
                for (int p = 0; p < outP; p++)
                {
                    kk += Math.Max(hx[p], 0) * Math.Max(hy[p], 0);
                    if (hx[p] > 0 && hy[p] > 0) tt += k1[p, p];
                }
                kk /= outP;
                tt /= outP;
            }
            nngp.Add(kk);
            ntk.Add(kk + tt);
        }
        Assert.True(Math.Abs(k.Nngp[0, 0] - nngp.Mean) <= 4.5 * nngp.StandardError, $"NNGP: analytic {k.Nngp[0, 0]}, sampled {nngp.Mean} ± {nngp.StandardError}");
        Assert.True(Math.Abs(k.Ntk![0, 0] - ntk.Mean) <= 4.5 * ntk.StandardError, $"NTK: analytic {k.Ntk[0, 0]}, sampled {ntk.Mean} ± {ntk.StandardError}");
    }

    [Theory]
    [InlineData(5), InlineData(8), InlineData(11), InlineData(16), InlineData(20)]
    public void FastAndGeneralConvolutionPathsAgree(int side)
    {
        var rng = new Random(side);
        var x = new Matrix<double>(3, side * side * 2);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = rng.NextDouble() - 0.5;
        var xf = new Matrix<float>(3, x.Cols, x.Data.Select(v => (float)v).ToArray());
        var shape = new TensorShape([side, side], 2);
        var arch = Architecture.Parse("conv(f=3,pad=same,w=1.4,b=0.1) > relu > conv(f=5,pad=same) > erf > global_avg_pool > dense");
        var fast = AnalyticKernel.ComputeImages(arch, x, shape);
        var fast32 = AnalyticKernel.ComputeImages(arch, xf, shape);
        using (ConvolutionFastPath.Switch.TurnOff())
        {
            var general = AnalyticKernel.ComputeImages(arch, x, shape);
            var general32 = AnalyticKernel.ComputeImages(arch, xf, shape);
            for (int i = 0; i < general.Ntk!.Data.Length; i++)
            {
                Assert.Equal(general.Ntk.Data[i], fast.Ntk!.Data[i], 1e-14 * Math.Abs(general.Ntk.Data[i]));
                Assert.Equal(general.Nngp.Data[i], fast.Nngp.Data[i], 1e-14 * Math.Abs(general.Nngp.Data[i]));
                Assert.Equal(general32.Ntk!.Data[i], fast32.Ntk!.Data[i], 1e-6f * Math.Abs(general32.Ntk.Data[i]));
            }
        }
    }
}
