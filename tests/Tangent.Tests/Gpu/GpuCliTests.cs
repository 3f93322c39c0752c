using System.Runtime.InteropServices;
using Tangent.IO;
using Tangent.Tests.Cli;

namespace Tangent.Tests.Gpu;

/// <summary>
/// <c>--device</c> on the command line: without a GPU, cuda is a one-line error with exit code 2; with
/// <c>TANGENT_GPU=cpu-simulator</c> the whole device path runs on ILGPU's CPU accelerator and equals the CPU engine.
/// </summary>
public class GpuCliTests
{
    private static bool HasDriver => NativeLibrary.TryLoad("libcuda.so.1", out _);

    [Fact]
    public void CudaWithoutAGpuIsAOneLineErrorWithExitCode2()
    {
        if (HasDriver) return; // a machine with an NVIDIA driver: the message under test cannot occur
        using var dir = new CliRunner.TempDir();
        File.WriteAllText(dir.File("x.csv"), "1,2,3\n4,5,6\n");
        var r = CliRunner.Run("kernel", "--arch", "dense > relu > dense", "--x1", dir.File("x.csv"), "--out", dir.File("k.npy"), "--device", "cuda");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.Contains("no CUDA driver", r.Err);
        Assert.False(File.Exists(dir.File("k.npy")));
        var b = CliRunner.Run("bench", "--json", "--device", "cuda", "eigh_n8192_f64");
        Assert.Equal(2, b.ExitCode);
        Assert.Contains("no GPU figures measured", b.Err);
    }

    [Fact]
    public void UnknownDeviceIsRejected()
    {
        var r = CliRunner.Run("kernel", "--arch", "dense", "--x1", "x.csv", "--out", "k.npy", "--device", "tpu");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("tpu", r.Err);
    }

    [Fact]
    public void SimulatedDeviceThroughTheCommandLineEqualsTheCpu()
    {
        var c = Conformance.AnalyticCase("cnn_gap");
        using var dir = new CliRunner.TempDir();
        File.WriteAllText(dir.File("spec.json"), c.GetProperty("spec").GetRawText());
        var x1 = Conformance.ToMatrix(c.GetProperty("x1"));
        Npy.Write(dir.File("x1.npy"), x1.Data, [x1.Rows, 6, 6, 3]);
        var env = new Dictionary<string, string> { ["TANGENT_GPU"] = "cpu-simulator" };
        var gpu = CliRunner.RunWithEnvironment(env, "kernel", "--arch", "@" + dir.File("spec.json"), "--x1", dir.File("x1.npy"), "--out", dir.File("gpu.npy"), "--device", "cuda", "-q");
        Assert.True(gpu.ExitCode == 0, gpu.Err);
        var cpu = CliRunner.Run("kernel", "--arch", "@" + dir.File("spec.json"), "--x1", dir.File("x1.npy"), "--out", dir.File("cpu.npy"), "-q");
        Assert.True(cpu.ExitCode == 0, cpu.Err);
        double err = Agreement.Relative<double>(Npy.Read(dir.File("gpu.npy")).Data, Npy.Read(dir.File("cpu.npy")).Data);
        Assert.True(err <= 1e-12, $"GPU path through the CLI differs from the CPU by {err:e2}");
    }
}
