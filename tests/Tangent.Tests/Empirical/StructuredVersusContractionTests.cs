using Tangent.Empirical;
using Tangent.Layers;
using Tangent.Networks;
using Tangent.Tests.Networks;

namespace Tangent.Tests.Empirical;

/// <summary>The structured empirical NTK equals the Jacobian contraction on random networks of every layer type.</summary>
public class StructuredVersusContractionTests
{
    [Fact]
    public void Structured_and_contraction_agree_on_random_networks()
    {
        int images = 0;
        foreach (int seed in Enumerable.Range(0, 200))
        {
            var s = RandomNetworks.Create(seed);
            var network = FiniteNetwork<double>.Create(Architecture.Parse(s.Spec), s.Input, s.Options);
            if (!s.Input.IsFlat) images++;
            foreach (bool full in new[] { false, true })
                foreach (var x2 in new[] { null, s.X2 })
                {
                    var a = EmpiricalNtk.Compute(network, s.X1, x2, new EmpiricalOptions { Method = EmpiricalMethod.Structured, Full = full });
                    var b = EmpiricalNtk.Compute(network, s.X1, x2, new EmpiricalOptions { Method = EmpiricalMethod.Contraction, Full = full });
                    double err = Conformance.RelativeError(a.Data, b.Data);
                    Assert.True(err <= 1e-10, $"seed {seed}: {s} full={full} cross={x2 is not null}: relative difference {err:e2}");
                    Assert.True(b.Data.Any(v => v != 0), $"seed {seed}: {s}: the kernel is zero");
                }
        }
        Assert.True(images > 50, $"only {images} image networks were drawn");
    }
}
