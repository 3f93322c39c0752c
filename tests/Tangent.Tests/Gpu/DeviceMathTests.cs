using Tangent.Gpu;

namespace Tangent.Tests.Gpu;

/// <summary>The device arcsine against the platform's, over [-1, 1] and near ±1 where its slope is infinite.</summary>
public class DeviceMathTests
{
    [Fact]
    public void AsinFloat64IsWithinTwoUlp()
    {
        double worst = 0;
        foreach (double x in Grid())
        {
            double asin = DeviceMath.Asin<double, F64>(x, out double cos);
            double exact = Math.Asin(x);
            worst = Math.Max(worst, Math.Abs(asin - exact) / Math.Max(Math.Abs(exact), double.Epsilon));
            Assert.Equal(Math.Sqrt((1 - x) * (1 + x)), cos, 1e-15);
        }
        Assert.True(worst <= 4.5e-16, $"relative error {worst:e2}");
    }

    [Fact]
    public void AsinFloat32IsWithinAFewUlp()
    {
        double worst = 0;
        foreach (double x in Grid())
        {
            float xf = (float)x;
            float asin = DeviceMath.Asin<float, F32>(xf, out _);
            double exact = Math.Asin(xf);
            worst = Math.Max(worst, Math.Abs(asin - exact) / Math.Max(Math.Abs(exact), double.Epsilon));
        }
        Assert.True(worst <= 3e-7, $"relative error {worst:e2}");
    }

    [Fact]
    public void CorrelationSnapsToOneWithinFourUlp()
    {
        double v = 0.7;
        double inv = DeviceMath.InverseRoot(v);
        Assert.Equal(1.0, DeviceMath.Correlation<double, F64>(v, inv, inv));
        Assert.Equal(-1.0, DeviceMath.Correlation<double, F64>(-v * (1 - 2e-16), inv, inv));
        Assert.Equal(0.5, DeviceMath.Correlation<double, F64>(0.5 * v, inv, inv), 1e-15);
        Assert.Equal(0.0, DeviceMath.Correlation<double, F64>(0.3, DeviceMath.InverseRoot(0.0), inv));
    }

    private static IEnumerable<double> Grid()
    {
        for (int i = -2000; i <= 2000; i++) yield return i / 2000.0;
        for (int k = 1; k <= 52; k++) { yield return 1 - Math.Pow(2, -k); yield return -1 + Math.Pow(2, -k); }
        yield return 0.5; yield return -0.5; yield return 0.5000000000000001; yield return 0.4999999999999999;
    }
}
