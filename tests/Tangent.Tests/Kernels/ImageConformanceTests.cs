using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Specs;

namespace Tangent.Tests.Kernels;

/// <summary>Every convolutional case of neural-tangents' analytic fixtures, NNGP and NTK, x1-x2 and x1-x1.</summary>
public class ImageConformanceTests
{
    public static IEnumerable<object[]> Cases => Conformance.AnalyticNames(images: true);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesNeuralTangents(string name)
    {
        var c = Conformance.AnalyticCase(name);
        var arch = Architecture.Parse(c.GetProperty("spec").GetRawText());
        var x1e = c.GetProperty("x1");
        var shape = new TensorShape([x1e[0].GetArrayLength(), x1e[0][0].GetArrayLength()], x1e[0][0][0].GetArrayLength());
        var x1 = Conformance.ToMatrix(x1e);
        var x2 = Conformance.ToMatrix(c.GetProperty("x2"));
        var k12 = AnalyticKernel.ComputeImages(arch, x1, shape, x2);
        var k11 = AnalyticKernel.ComputeImages(arch, x1, shape);
        Conformance.AssertClose(k12.Nngp, c.GetProperty("nngp_12"), "nngp_12");
        Conformance.AssertClose(k12.Ntk!, c.GetProperty("ntk_12"), "ntk_12");
        Conformance.AssertSymmetricClose(k11.Nngp, c.GetProperty("nngp_11"), "nngp_11");
        Conformance.AssertSymmetricClose(k11.Ntk!, c.GetProperty("ntk_11"), "ntk_11");
    }
}
