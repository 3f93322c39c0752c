using System.Globalization;
using Tangent.Linalg;
using static Tangent.Tests.Dynamics.PredictFixture;
using static Tangent.Tests.Dynamics.CliFiles;

namespace Tangent.Tests.Dynamics;

/// <summary><c>tangent predict</c> end to end: the fixture's cases through files, and bad input.</summary>
public class PredictCliTests
{
    [Theory]
    [MemberData(nameof(MseCaseIndices), MemberType = typeof(PredictFixture))]
    public void KernelFormReproducesTheFixture(int index)
    {
        var c = Case(index);
        using var s = new Scratch();
        var t = Times(c);
        var r = Run("predict", "--k-train-train", Npy(s.Dir, "k.npy", M(c, "k_train_train")), "--y-train", Npy(s.Dir, "y.npy", M(c, "y_train")),
            "--k-test-train", Npy(s.Dir, "kt.npy", M(c, "k_test_train")), "--fx-train-0", Npy(s.Dir, "f0.npy", M(c, "fx_train_0")),
            "--fx-test-0", Npy(s.Dir, "g0.npy", M(c, "fx_test_0")),
            "--t", string.Join(",", t.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + ",inf",
            "--learning-rate", c.GetProperty("learning_rate").GetDouble().ToString("R", CultureInfo.InvariantCulture),
            "--diag-reg", c.GetProperty("diag_reg").GetDouble().ToString("R", CultureInfo.InvariantCulture),
            "--out", s["pred"]);
        Assert.True(r.ExitCode == 0, r.Err);
        var train = Read(s["pred.train.npy"]);
        var test = Read(s["pred.test.npy"]);
        Assert.Equal([t.Length + 1, 8, 2], train.Shape);
        Assert.Equal([t.Length + 1, 4, 2], test.Shape);
        int tr = 8 * 2, te = 4 * 2;
        AssertClose(train.Data.AsSpan(0, t.Length * tr), Flat(c.GetProperty("fx_train_t")), Tolerance, "fx_train_t");
        AssertClose(test.Data.AsSpan(0, t.Length * te), Flat(c.GetProperty("fx_test_t")), Tolerance, "fx_test_t");
        AssertClose(train.Data.AsSpan(t.Length * tr), Flat(c.GetProperty("fx_train_inf")), Tolerance, "fx_train_inf");
        AssertClose(test.Data.AsSpan(t.Length * te), Flat(c.GetProperty("fx_test_inf")), Tolerance, "fx_test_inf");
    }

    [Theory]
    [InlineData("ntk")]
    [InlineData("nngp")]
    public void ArchitectureFormReproducesTheEnsembleFixture(string get)
    {
        var c = Single("gradient_descent_mse_ensemble");
        using var s = new Scratch();
        File.WriteAllText(s["spec.json"], c.GetProperty("spec").GetRawText());
        var r = Run("predict", "--arch", "@" + s["spec.json"], "--x-train", Npy(s.Dir, "x.npy", M(c, "x_train")), "--y-train", Npy(s.Dir, "y.npy", M(c, "y_train")),
            "--x-test", Npy(s.Dir, "xt.npy", M(c, "x_test")), "--get", get, "--t", "1,10,inf", "--cov", "--out", s["ens"]);
        Assert.True(r.ExitCode == 0, r.Err);
        var mean = Read(s["ens.test.npy"]);
        var cov = Read(s["ens.cov.npy"]);
        Assert.Equal([3, 4, 2], mean.Shape);
        Assert.Equal([3, 4, 4], cov.Shape);
        string[] keys = [$"{get}_t1.0", $"{get}_t10.0", $"{get}_tNone"];
        for (int j = 0; j < 3; j++)
        {
            var expected = c.GetProperty("results").GetProperty(keys[j]);
            AssertClose(mean.Data.AsSpan(j * 8, 8), Flat(expected.GetProperty("mean")), Tolerance, keys[j] + " mean");
            AssertClose(cov.Data.AsSpan(j * 16, 16), Flat(expected.GetProperty("cov")), Tolerance, keys[j] + " cov");
        }
        Assert.Equal([3, 8, 2], Read(s["ens.train.npy"]).Shape);
    }

    [Fact]
    public void StepsWithMomentumAndCrossEntropyRun()
    {
        var (k, ktd, _) = TestKernels.Blocks(10, 4, 3, seed: 141);
        var y = TestKernels.OneHot(10, 3, seed: 142);
        using var s = new Scratch();
        string kp = Npy(s.Dir, "k.npy", k), yp = Npy(s.Dir, "y.npy", y), ktp = Npy(s.Dir, "kt.npy", ktd);
        var steps = Run("predict", "--k-train-train", kp, "--y-train", yp, "--k-test-train", ktp, "--steps", "0,10,100", "--momentum", "0.9", "--learning-rate", "2", "--out", s["steps"]);
        Assert.True(steps.ExitCode == 0, steps.Err);
        var library = new Tangent.Dynamics.GradientDescentMse(k, y, 2).Predict(Tangent.Dynamics.TrainingTimes.Steps([0, 10, 100], 0.9), null, ktd);
        // Same numbers up to rounding: a multi-threaded BLAS may sum in another order in the child process.
        var cli = Read(s["steps.test.npy"]).Data;
        Assert.Equal(library.Test!.Data.Length, cli.Length);
        for (int i = 0; i < cli.Length; i++) Assert.Equal(library.Test.Data[i], cli[i], 1e-12 * Math.Max(1, Math.Abs(library.Test.Data[i])));
        var ce = Run("predict", "--k-train-train", kp, "--y-train", yp, "--k-test-train", ktp, "--loss", "cross-entropy", "--t", "0,5,50", "--learning-rate", "10", "--out", s["ce"]);
        Assert.True(ce.ExitCode == 0, ce.Err);
        var train = Read(s["ce.train.npy"]);
        Assert.Equal([3, 10, 3], train.Shape);
        var loss = Tangent.Dynamics.Losses.SoftmaxCrossEntropyLoss.Instance;
        double l0 = loss.Value(train.Data.AsSpan(0, 30), y.Data, 3), l2 = loss.Value(train.Data.AsSpan(60, 30), y.Data, 3);
        Assert.True(l2 < 0.5 * l0, $"cross-entropy {l0} -> {l2}");
    }

    [Fact]
    public void DigitsThroughTheArchitectureFormPrintsTestAccuracy()
    {
        using var s = new Scratch();
        var data = Run("data", "digits", "--out", s.Dir);
        Assert.True(data.ExitCode == 0, data.Err);
        Assert.Equal([1000, 64], Read(s["x_train.npy"]).Shape);
        Assert.Equal([797, 10], Read(s["y_test.npy"]).Shape);
        var r = Run("predict", "--arch", "dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense(w=1)",
            "--x-train", s["x_train.npy"], "--y-train", s["y_train.npy"], "--x-test", s["x_test.npy"], "--y-test", s["y_test.npy"], "--out", s["digits"]);
        Assert.True(r.ExitCode == 0, r.Err);
        // Recompute the accuracy from the written predictions rather than trusting the printed table.
        var pred = Read(s["digits.test.npy"]);
        var labels = Read(s["labels_test.npy"]).Data;
        int correct = 0;
        for (int i = 0; i < 797; i++)
        {
            var row = pred.Data.AsSpan(i * 10, 10);
            int best = 0;
            for (int q = 1; q < 10; q++) if (row[q] > row[best]) best = q;
            if (best == (int)labels[i]) correct++;
        }
        double accuracy = correct / 797.0;
        Assert.True(accuracy > 0.9, $"NTK regression on digits: {accuracy:P2}");
        Assert.Contains("test accuracy", r.Out);
        Assert.Contains(accuracy.ToString("P2", CultureInfo.InvariantCulture), r.Out);
    }

    public static TheoryData<string, string[], string> BadInputs => new()
    {
        { "nan", ["--t", "1"], "is NaN" },
        { "indefinite", ["--t", "1"], "--diag-reg" },
        { "singular", ["--t", "inf"], "--diag-reg" },
        { "asymmetric", ["--t", "1"], "not symmetric" },
        { "rows", ["--t", "1"], "targets" },
        { "ok", ["--t", "1", "--steps", "3"], "not both" },
        { "ok", ["--t", "1,x"], "'x'" },
        { "ok", ["--t", "-1"], "non-negative" },
        { "ok", ["--momentum", "0.5"], "--steps" },
        { "ok", ["--x-train", "k.npy"], "--x-train" },
        { "ok", ["--loss", "cross-entropy", "--t", "inf"], "infinity" },
        { "ok", ["--steps", "inf", "--learning-rate", "1e6"], "diverges" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputExitsWithTwoAndOneLineAndNoOutput(string kernel, string[] extra, string expected)
    {
        using var s = new Scratch();
        var x = TestKernels.Gaussian(6, 2, seed: 151);
        var k = new Matrix<double>(6, 6);
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) k[i, j] = x[i, 0] * x[j, 0] + x[i, 1] * x[j, 1] + (kernel == "singular" ? 0 : i == j ? 1 : 0);
        if (kernel == "nan") k[2, 3] = double.NaN;
        if (kernel == "indefinite") for (int i = 0; i < 6; i++) k[i, i] -= 1.5;
        if (kernel == "asymmetric") k[0, 5] += 1;
        var y = TestKernels.Gaussian(kernel == "rows" ? 5 : 6, 1, seed: 152);
        Npy(s.Dir, "k.npy", k);
        Npy(s.Dir, "y.npy", y);
        string[] args = ["predict", "--k-train-train", s["k.npy"], "--y-train", s["y.npy"], "--k-test-train", s["k.npy"], "--out", s["out"], .. extra.Select(a => a == "k.npy" ? s["k.npy"] : a)];
        var r = Run(args);
        Assert.Equal(2, r.ExitCode);
        string line = r.Err.Trim();
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("tangent: error:", line);
        Assert.Contains(expected, line);
        Assert.Equal(["k.npy", "y.npy"], s.Files());
    }

    [Fact]
    public void BothFormsOrNeitherIsAUsageError()
    {
        using var s = new Scratch();
        var neither = Run("predict", "--y-train", Npy(s.Dir, "y.npy", TestKernels.Gaussian(3, 1, 1)), "--out", s["o"]);
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("--k-train-train", neither.Err);
        var missing = Run("predict", "--k-train-train", s["nope.npy"], "--y-train", s["y.npy"], "--out", s["o"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nope.npy", missing.Err);
    }
}
