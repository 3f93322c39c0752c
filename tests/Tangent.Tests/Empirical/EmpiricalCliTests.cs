using System.Text.Json;
using Tangent.Empirical;
using Tangent.IO;
using Tangent.Layers;
using Tangent.Tests.IO;

namespace Tangent.Tests.Empirical;

/// <summary>
/// <c>tangent empirical</c> and <c>tangent converge</c> end to end: the fixture through <c>--arch @spec.json --weights FILE
/// --full</c> with both methods, Monte Carlo means independent of the thread count, and exit code 2 with a message naming
/// the tensor when weights do not fit.
/// </summary>
[Collection("in-process cli")]
public class EmpiricalCliTests
{
    [Theory, MemberData(nameof(EmpiricalConformanceTests.Cases), MemberType = typeof(EmpiricalConformanceTests))]
    public void Command_line_reproduces_the_fixture(string name, EmpiricalMethod method)
    {
        var c = EmpiricalFixtures.Load(name);
        using var dir = new TempDir();
        WriteCase(c, dir);
        string m = method == EmpiricalMethod.Structured ? "structured" : "contraction";
        var (code, err) = InProcessCli.Run("empirical", "--arch", "@" + dir.File("spec.json"), "--weights", dir.File("w.safetensors"),
            "--x1", dir.File("x1.npy"), "--x2", dir.File("x2.npy"), "--full", "--method", m, "--out", dir.File("k12.npy"), "--quiet");
        Assert.True(code == 0, err);
        var k12 = Npy.Read(dir.File("k12.npy"));
        Assert.Equal([c.X1.Rows, c.X2.Rows, c.Outputs, c.Outputs], k12.Shape);
        EmpiricalConformanceTests.AssertClose(k12.Data, c.Ntk12, $"CLI {name} {m} ntk_12");

        (code, err) = InProcessCli.Run("empirical", "--arch", "@" + dir.File("spec.json"), "--weights", dir.File("w.safetensors"),
            "--x1", dir.File("x1.npy"), "--full", "--method", m, "--out", dir.File("k11.npy"), "--quiet");
        Assert.True(code == 0, err);
        EmpiricalConformanceTests.AssertClose(Npy.Read(dir.File("k11.npy")).Data, c.Ntk11, $"CLI {name} {m} ntk_11");
    }

    [Fact]
    public void Weights_that_do_not_fit_exit_2_naming_the_tensor()
    {
        var c = EmpiricalFixtures.Load("mlp_relu");
        using var dir = new TempDir();
        WriteCase(c, dir);
        // The same weights under a spec whose middle layer is wider: tensor 2.weight no longer fits.
        File.WriteAllText(dir.File("wide.json"), Architecture.Parse(c.Spec.Replace("n=16) > relu > dense(w=1.4142135623730951,b=0.1,n=16)", "n=16) > relu > dense(w=1.4142135623730951,b=0.1,n=17)")).ToJson());
        var (code, err) = InProcessCli.Run("empirical", "--arch", "@" + dir.File("wide.json"), "--weights", dir.File("w.safetensors"), "--x1", dir.File("x1.npy"), "--out", dir.File("k.npy"));
        Assert.Equal(2, code);
        Assert.Contains("tensor '2.weight' has shape [16, 16], the network needs [17, 16]", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(dir.File("k.npy")));

        (code, err) = InProcessCli.Run("empirical", "--arch", "@" + dir.File("spec.json"), "--weights", dir.File("w.safetensors"), "--seed", "3", "--x1", dir.File("x1.npy"), "--out", dir.File("k.npy"));
        Assert.Equal(2, code);
        Assert.Contains("exactly one of --weights", err);
    }

    [Fact]
    public void Monte_carlo_mean_does_not_depend_on_the_thread_count()
    {
        using var dir = new TempDir();
        var rng = new Random(4);
        Npy.Write(dir.File("x.npy"), Enumerable.Range(0, 6 * 3).Select(_ => rng.NextDouble() - 0.5).ToArray(), [6, 3]);
        string[] Args(int threads, string outFile) =>
            ["empirical", "--arch", "dense(w=1.3,b=0.2) > tanh > dense(n=2)", "--width", "32", "--seed", "9", "--samples", "7", "--threads", threads.ToString(),
             "--x1", dir.File("x.npy"), "--out", dir.File(outFile), "--quiet"];
        Assert.Equal(0, InProcessCli.Run(Args(1, "a.npy")).Code);
        Assert.Equal(0, InProcessCli.Run(Args(3, "b.npy")).Code);
        var a = Npy.Read(dir.File("a.npy"));
        Assert.Equal([6, 6], a.Shape);
        Assert.Equal(a.Data, Npy.Read(dir.File("b.npy")).Data);

        // NNGP of the readout features: symmetric, positive on the diagonal.
        var (code, err) = InProcessCli.Run("empirical", "--arch", "dense(w=1.3,b=0.2) > tanh > dense(n=2)", "--width", "32", "--seed", "9", "--get", "nngp",
            "--x1", dir.File("x.npy"), "--out", dir.File("nngp.csv"), "--quiet");
        Assert.True(code == 0, err);
        var k = Csv.Read(dir.File("nngp.csv"));
        for (int i = 0; i < 6; i++)
        {
            Assert.True(k.Data[i * 6 + i] > 0);
            for (int j = 0; j < 6; j++) Assert.Equal(k.Data[i * 6 + j], k.Data[j * 6 + i], 12);
        }
    }

    [Fact]
    public void Converge_writes_errors_and_slope()
    {
        using var dir = new TempDir();
        var rng = new Random(5);
        Npy.Write(dir.File("x.npy"), Enumerable.Range(0, 5 * 4).Select(_ => rng.NextDouble() - 0.5).ToArray(), [5, 4]);
        var (code, err) = InProcessCli.Run("converge", "--arch", "dense(w=1.4,b=0.1) > relu > dense", "--widths", "64,256,1024", "--samples", "2", "--replicates", "4",
            "--x1", dir.File("x.npy"), "--out", dir.File("out"), "--quiet");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("out/converge.json")));
        var root = json.RootElement;
        Assert.Equal([64, 256, 1024], root.GetProperty("widths").EnumerateArray().Select(e => e.GetInt32()));
        var errors = root.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("ntk_relative_error").GetDouble()).ToList();
        Assert.All(errors, e => Assert.InRange(e, 1e-4, 2));
        Assert.True(errors[2] < errors[0], $"errors {string.Join(", ", errors)} do not fall with width");
        var fit = root.GetProperty("ntk_fit");
        double slope = fit.GetProperty("slope").GetDouble();
        var interval = fit.GetProperty("interval").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.True(interval[0] <= slope && slope <= interval[1]);
        Assert.True(root.GetProperty("points")[0].GetProperty("nngp_relative_error").GetDouble() > 0);

        (code, err) = InProcessCli.Run("converge", "--arch", "dense > relu > dense", "--widths", "64,x", "--samples", "2", "--x1", dir.File("x.npy"), "--out", dir.File("out2"));
        Assert.Equal(2, code);
        Assert.Contains("'x' is not a positive integer", err);
    }

    private static void WriteCase(EmpiricalFixtures.Case c, TempDir dir)
    {
        int[] Shape(int n) => c.InputShape.IsFlat ? [n, c.InputShape.Channels] : [n, .. c.InputShape.Spatial, c.InputShape.Channels];
        Npy.Write(dir.File("x1.npy"), c.X1.Data, Shape(c.X1.Rows));
        Npy.Write(dir.File("x2.npy"), c.X2.Data, Shape(c.X2.Rows));
        Safetensors.Write(dir.File("w.safetensors"), c.Weights);
        File.WriteAllText(dir.File("spec.json"), Architecture.Parse(c.Spec).ToJson());
    }
}
