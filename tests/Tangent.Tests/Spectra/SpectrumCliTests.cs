using System.Text.Json;
using Tangent.Linalg;
using Tangent.Spectra;
using Tangent.Tests.Dynamics;
using static Tangent.Tests.Dynamics.CliFiles;

namespace Tangent.Tests.Spectra;

/// <summary><c>tangent spectrum</c> end to end.</summary>
public class SpectrumCliTests
{
    [Fact]
    public void WritesJsonAndPlots()
    {
        var (k, ktd, _) = TestKernels.Blocks(40, 10, 5, seed: 161);
        var (other, _, _) = TestKernels.Blocks(40, 10, 5, seed: 162);
        var y = TestKernels.OneHot(40, 3, seed: 163);
        var yt = TestKernels.OneHot(10, 3, seed: 164);
        using var s = new Scratch();
        var r = Run("spectrum", "--kernel", Npy(s.Dir, "k.npy", k), "--y", Npy(s.Dir, "y.npy", y), "--k-test-train", Npy(s.Dir, "kt.npy", ktd),
            "--y-test", Npy(s.Dir, "yt.npy", yt), "--compare", Npy(s.Dir, "k2.npy", other), "--trials", "3", "--out", s["report"]);
        Assert.True(r.ExitCode == 0, r.Err);
        string dir = s["report"];
        string[] expected = ["eigenvalues.npy", "eigenvalues.png", "eigenvalues.svg", "learning_curve.png", "learning_curve.svg", "loss_curves.png",
            "loss_curves.svg", "mode_residuals.png", "mode_residuals.svg", "spectrum.json"];
        Assert.Equal(expected, Directory.GetFiles(dir).Select(Path.GetFileName).Order().ToArray());
        foreach (var png in Directory.GetFiles(dir, "*.png"))
        {
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 5000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png);
        }
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(dir, "eigenvalues.svg")));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "spectrum.json")));
        var root = json.RootElement;
        var spectrum = KernelSpectrum.Compute(k);
        var eig = root.GetProperty("eigenvalues").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.True(Conformance.RelativeError(eig, spectrum.Eigenvalues) < 1e-12);
        Assert.Equal(KernelAlignment.WithTargets(k, y), root.GetProperty("targets").GetProperty("kernel_target_alignment").GetDouble(), 12);
        Assert.Equal(KernelAlignment.Centered(k, other), root.GetProperty("centered_alignment_with_compare").GetDouble(), 12);
        Assert.Equal(spectrum.EntropyEffectiveRank, root.GetProperty("entropy_effective_rank").GetDouble(), 10);
        var dynamics = root.GetProperty("dynamics");
        int times = dynamics.GetProperty("times").GetArrayLength();
        Assert.Equal(times, dynamics.GetProperty("test_mse").GetArrayLength());
        Assert.Equal(8, dynamics.GetProperty("residual_per_mode")[0].GetArrayLength());
        var curve = root.GetProperty("learning_curve");
        Assert.Equal(curve.GetProperty("samples").GetArrayLength(), curve.GetProperty("predicted_test_mse").GetArrayLength());
        Assert.True(curve.GetProperty("measured").GetProperty("test_mse").GetArrayLength() > 3);
        Assert.Contains("effective rank", r.Out);
    }

    [Fact]
    public void KernelAloneAndBadKernels()
    {
        var (k, _, _) = TestKernels.Blocks(12, 1, 2, seed: 165);
        using var s = new Scratch();
        var r = Run("spectrum", "--kernel", Npy(s.Dir, "k.npy", k), "--out", s["alone"], "-q");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal(["eigenvalues.npy", "eigenvalues.png", "eigenvalues.svg", "spectrum.json"], Directory.GetFiles(s["alone"]).Select(f => Path.GetFileName(f)!).Order().ToArray());

        var bad = k.Clone();
        for (int i = 0; i < 12; i++) bad[i, i] -= 2 * KernelSpectrum.Compute(k).Largest;
        var e = Run("spectrum", "--kernel", Npy(s.Dir, "bad.npy", bad), "--out", s["bad"]);
        Assert.Equal(2, e.ExitCode);
        Assert.Contains("not positive semi-definite", e.Err);
        Assert.False(Directory.Exists(s["bad"]));
        var rows = Run("spectrum", "--kernel", s["k.npy"], "--y", Npy(s.Dir, "y.npy", TestKernels.Gaussian(5, 1, 1)), "--out", s["rows"]);
        Assert.Equal(2, rows.ExitCode);
        Assert.Contains("targets", rows.Err);
    }
}
