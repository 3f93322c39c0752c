using Tangent.Empirical;
using Tangent.IO;
using Tangent.Layers;
using Tangent.Networks;
using Tangent.Tests.IO;

namespace Tangent.Tests.Empirical;

/// <summary>
/// Every case of the empirical fixture (torch.func Jacobian contraction, float64) reproduced to 1e-10 relative by both
/// implementations, with the fixture's weights written to and read back from a .safetensors file.
/// </summary>
public class EmpiricalConformanceTests
{
    /// <summary>The bar for the empirical fixtures.</summary>
    public const double Tolerance = 1e-10;

    public static IEnumerable<object[]> Cases() =>
        EmpiricalFixtures.Names().SelectMany(n => new[] { new[] { n[0], (object)EmpiricalMethod.Structured }, new[] { n[0], (object)EmpiricalMethod.Contraction } });

    [Theory, MemberData(nameof(Cases))]
    public void Library_reproduces_the_fixture(string name, EmpiricalMethod method)
    {
        var c = EmpiricalFixtures.Load(name);
        using var dir = new TempDir();
        string weights = dir.File("w.safetensors");
        Safetensors.Write(weights, c.Weights);
        var network = FiniteNetwork<double>.Create(Architecture.Parse(c.Spec), c.InputShape, new FiniteNetworkOptions { Source = LoadedParameters.FromFile(weights) });

        var f = network.Forward(c.X1);
        AssertClose(f.Data, c.F1.Data, $"{name} f(x1)");
        var options = new EmpiricalOptions { Method = method, Full = true };
        var k12 = EmpiricalNtk.Compute(network, c.X1, c.X2, options);
        Assert.Equal([c.X1.Rows, c.X2.Rows, c.Outputs, c.Outputs], k12.Shape);
        AssertClose(k12.Data, c.Ntk12, $"{name} {method} ntk_12");
        var k11 = EmpiricalNtk.Compute(network, c.X1, null, options);
        AssertClose(k11.Data, c.Ntk11, $"{name} {method} ntk_11");
    }

    internal static void AssertClose(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, string what)
    {
        double err = Conformance.RelativeError(actual, expected);
        Assert.True(err <= Tolerance, $"{what}: relative error {err:e2} > {Tolerance:e0}");
    }
}
