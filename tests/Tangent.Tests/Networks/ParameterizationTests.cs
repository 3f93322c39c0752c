using Tangent.Layers;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Tests.Networks;

/// <summary>Widths, roles, parameterisation scales and seeded initialisation of networks built from specs.</summary>
public class ParameterizationTests
{
    private static FiniteNetwork<double> Build(string spec, int d, FiniteNetworkOptions? options = null) =>
        FiniteNetwork<double>.Create(Architecture.Parse(spec), TensorShape.Flat(d), options);

    [Fact]
    public void Widths_come_from_the_spec_the_option_and_the_readout_rule()
    {
        var net = Build("dense(n=7) > relu > dense > relu > dense", 3, new FiniteNetworkOptions { Width = 11 });
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"], net.Parameters.Select(p => p.Name));
        Assert.Equal([7, 3], net.Parameters[0].Shape);
        Assert.Equal([11, 7], net.Parameters[2].Shape);
        Assert.Equal([1, 11], net.Parameters[4].Shape);   // unspecified readout: one output, as the analytic kernels
        Assert.Equal(1, net.OutputCount);

        var swept = Build("dense(n=7) > relu > dense(n=5) > relu > dense(n=2)", 3, new FiniteNetworkOptions { Width = 13, OverrideWidths = true });
        Assert.Equal([13, 3], swept.Parameters[0].Shape);
        Assert.Equal([13, 13], swept.Parameters[2].Shape);
        Assert.Equal([2, 13], swept.Parameters[4].Shape);   // the readout keeps its width

        var e = Assert.Throws<SpecException>(() => Build("dense > relu > dense", 3));
        Assert.Contains("position 0", e.Message);
    }

    [Fact]
    public void Residual_and_product_branches_end_at_matching_widths()
    {
        var net = Build("dense(n=6) > residual(relu > dense > relu > dense) > product(dense > erf, dense > relu) > dense", 2, new FiniteNetworkOptions { Width = 4 });
        var names = net.Parameters.ToDictionary(p => p.Name, p => p.Shape);
        Assert.Equal([4, 6], names["1.1.weight"]);
        Assert.Equal([6, 4], names["1.3.weight"]);        // gives back the residual's input channels
        Assert.Equal([4, 6], names["2.0.0.weight"]);
        Assert.Equal([4, 6], names["2.1.0.weight"]);
        Assert.Equal([1, 4], names["3.weight"]);
        Assert.Throws<SpecException>(() => Build("dense(n=6) > residual(relu > dense(n=5))", 2));
    }

    [Fact]
    public void Roles_follow_the_data_and_the_readout()
    {
        var net = Build("dense(n=8) > relu > dense(n=8) > relu > dense(n=3)", 5, new FiniteNetworkOptions { Parameterization = NetworkParameterization.Mup });
        Assert.Equal([WeightRole.Input, WeightRole.Hidden, WeightRole.Output], net.WeightLayers.Select(w => w.Role));
    }

    [Fact]
    public void Scales_follow_tensor_programs_v_table_3_and_the_other_parameterisations()
    {
        const double w = 1.5, b = 0.2;
        var (wi, bi) = ParameterizationRules.Scales(NetworkParameterization.Mup, WeightRole.Input, 10, 64, w, b);
        var (wh, bh) = ParameterizationRules.Scales(NetworkParameterization.Mup, WeightRole.Hidden, 64, 64, w, b);
        var (wo, bo) = ParameterizationRules.Scales(NetworkParameterization.Mup, WeightRole.Output, 64, 3, w, b);
        Assert.Equal(new ParameterScale(1, w / Math.Sqrt(10), 64, 1), wi);
        Assert.Equal(new ParameterScale(1, w / 8, 1, 1.0 / 64), wh);
        Assert.Equal(new ParameterScale(1, w / 64, 1.0 / 64, 1.0 / 64), wo);
        Assert.Equal(new ParameterScale(1, b, 64, 1), bi);
        Assert.Equal(new ParameterScale(1, b, 64, 1), bh);
        Assert.Equal(new ParameterScale(1, b, 3, 1), bo);
        Assert.Equal(64, wi.LearningRate(OptimizerKind.Sgd));
        Assert.Equal(1.0 / 64, wh.LearningRate(OptimizerKind.Adam));

        Assert.Equal((new ParameterScale(w / 8, 1, 1, 1), new ParameterScale(b, 1, 1, 1)), ParameterizationRules.Scales(NetworkParameterization.Ntk, WeightRole.Hidden, 64, 64, w, b));
        Assert.Equal((new ParameterScale(1, w / 8, 1, 1), new ParameterScale(1, b, 1, 1)), ParameterizationRules.Scales(NetworkParameterization.Standard, WeightRole.Hidden, 64, 64, w, b));

        var mf = Build("dense(n=32) > relu > dense(n=32) > relu > dense", 4, new FiniteNetworkOptions { Parameterization = NetworkParameterization.MeanField });
        Assert.Equal(1.0 / 32, mf.WeightLayers[2].Weight.Scale.Multiplier, 15);   // readout W_std/n
        Assert.Equal(1.0 / Math.Sqrt(32), mf.WeightLayers[1].Weight.Scale.Multiplier, 15);
        Assert.All(mf.Parameters, p => Assert.Equal(32, p.Scale.SgdLearningRate));   // every SGD rate times n
    }

    [Fact]
    public void Initialisation_is_seeded_and_has_the_parameterisation_s_spread()
    {
        var options = new FiniteNetworkOptions { Parameterization = NetworkParameterization.Standard, Source = new SeededParameters(42) };
        var a = Build("dense(w=2,b=0.5,n=400) > relu > dense(w=2,n=300)", 100, options);
        var b = Build("dense(w=2,b=0.5,n=400) > relu > dense(w=2,n=300)", 100, options);
        var c = Build("dense(w=2,b=0.5,n=400) > relu > dense(w=2,n=300)", 100, options with { Source = new SeededParameters(43) });
        Assert.Equal(a.Parameters[0].Values, b.Parameters[0].Values);
        Assert.NotEqual(a.Parameters[0].Values, c.Parameters[0].Values);
        Assert.NotEqual(a.Parameters[0].Values.Take(100), a.Parameters[2].Values.Take(100));   // streams differ per tensor

        // Sample standard deviations: W_std/√fan_in = 0.2 over 40 000 draws, b_std = 0.5 over 400 (relative error ~1/√(2n)).
        var w0 = a.Parameters[0].Values;
        double std = Math.Sqrt(w0.Sum(v => v * v) / w0.Length), mean = w0.Average();
        Assert.InRange(std / 0.2, 1 - 5 / Math.Sqrt(2 * 40000.0), 1 + 5 / Math.Sqrt(2 * 40000.0));
        Assert.InRange(mean, -5 * 0.2 / 200, 5 * 0.2 / 200);
        var b0 = a.Parameters[1].Values;
        Assert.InRange(Math.Sqrt(b0.Sum(v => v * v) / b0.Length) / 0.5, 1 - 5 / Math.Sqrt(800.0), 1 + 5 / Math.Sqrt(800.0));
    }

    [Fact]
    public void Seeded_normals_have_unit_moments()
    {
        var z = new double[200_000];
        SeededNormal.Fill<double>(z, SeededNormal.Stream(7, "test"), 1);
        double m1 = z.Average(), m2 = z.Average(v => v * v), m4 = z.Average(v => v * v * v * v);
        Assert.InRange(m1, -5 / Math.Sqrt(z.Length), 5 / Math.Sqrt(z.Length));
        Assert.InRange(m2, 1 - 5 * Math.Sqrt(2.0 / z.Length), 1 + 5 * Math.Sqrt(2.0 / z.Length));
        Assert.InRange(m4, 3 - 5 * Math.Sqrt(96.0 / z.Length), 3 + 5 * Math.Sqrt(96.0 / z.Length));
        // Tails and strips: counts beyond 1, 2, 3 and 3.5 (the ziggurat's tail starts at 3.44) against 2·Φ(−t).
        foreach (var (t, p) in new[] { (1.0, 0.3173105078629141), (2.0, 0.04550026389635842), (3.0, 0.0026997960632601866), (3.5, 0.0004652581580710802) })
        {
            double expected = p * z.Length, count = z.Count(v => Math.Abs(v) > t);
            Assert.InRange(count, expected - 5 * Math.Sqrt(expected), expected + 5 * Math.Sqrt(expected));
        }
        Assert.InRange(z.Count(v => v > 0), z.Length / 2 - 5 * Math.Sqrt(z.Length / 4.0), z.Length / 2 + 5 * Math.Sqrt(z.Length / 4.0));
    }
}
