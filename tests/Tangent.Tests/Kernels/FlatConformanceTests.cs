using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;

namespace Tangent.Tests.Kernels;

/// <summary>Every fully connected case of neural-tangents' analytic fixtures, NNGP and NTK, x1-x2 and x1-x1.</summary>
public class FlatConformanceTests
{
    public static IEnumerable<object[]> Cases => Conformance.AnalyticNames(images: false);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesNeuralTangents(string name)
    {
        var c = Conformance.AnalyticCase(name);
        var arch = Architecture.Parse(c.GetProperty("spec").GetRawText());
        var x1 = Conformance.ToMatrix(c.GetProperty("x1"));
        var x2 = Conformance.ToMatrix(c.GetProperty("x2"));
        var k12 = AnalyticKernel.Compute(arch, x1, x2);
        var k11 = AnalyticKernel.Compute(arch, x1);
        Conformance.AssertClose(k12.Nngp, c.GetProperty("nngp_12"), "nngp_12");
        Conformance.AssertClose(k12.Ntk!, c.GetProperty("ntk_12"), "ntk_12");
        Conformance.AssertSymmetricClose(k11.Nngp, c.GetProperty("nngp_11"), "nngp_11");
        Conformance.AssertSymmetricClose(k11.Ntk!, c.GetProperty("ntk_11"), "ntk_11");
    }

    [Fact]
    public void DiagonalTakesTheExactLimitAtCorrelationOne()
    {
        // One ReLU layer, W_std = 1, b_std = 0: NNGP(x, x) = v/2 and NTK(x, x) = v/2 + v/2 = v, with v = |x|²/d.
        var c = Conformance.AnalyticCase("fc_relu_1");
        var x1 = Conformance.ToMatrix(c.GetProperty("x1"));
        var k = AnalyticKernel.Compute(Architecture.Parse(c.GetProperty("spec").GetRawText()), x1);
        for (int i = 0; i < x1.Rows; i++)
        {
            double v = 0;
            foreach (var e in x1.Row(i)) v += e * e;
            v /= x1.Cols;
            Assert.Equal(v / 2, k.Nngp[i, i], 1e-15 * v);
            Assert.Equal(v, k.Ntk![i, i], 1e-15 * v);
        }
    }
}
