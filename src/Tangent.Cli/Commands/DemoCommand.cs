using System.CommandLine;
using System.Globalization;
using Tangent.Experiments;

namespace Tangent.Cli;

/// <summary>
/// <c>tangent demo</c>: the falsifier on built-in data (sparse parity: does a trained network need feature learning?), printing
/// the verdict table and writing the report to a directory it names. <c>tangent demo kernel</c> (and <c>tangent demo --cnn</c>)
/// is the NTK kernel-regression demo on the built-in digits.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Where <c>tangent demo</c> writes its report unless told otherwise.</summary>
    public const string DefaultOut = "falsify-demo";

    /// <summary>The demo's experiment: the parity of 2 of 30 ±1 coordinates, muP network against its linearisation and the kernels.</summary>
    public static Experiment Experiment(int seeds) => new()
    {
        Task = new TaskSpec { Name = "sparse-parity", Dim = 30, K = 2 },
        TrainSizes = [50, 100, 200, 400],
        TestSize = 500,
        Seeds = seeds,
        Metrics = [FalsifierMetric.TestAccuracy, FalsifierMetric.SampleEfficiency, FalsifierMetric.KernelAlignment],
    };

    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = $"directory for report.html and verdict.json (default: ./{DefaultOut})", DefaultValueFactory = _ => DefaultOut };
        var seeds = new Option<int>("--seeds") { Description = "number of seeds", DefaultValueFactory = _ => 5 };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress display" };
        var cnn = new Option<bool>("--cnn") { Description = "instead: the kernel demo with the depth-3 convolutional NTK (CNTK-GAP) on 8x8 digit images (as 'tangent demo kernel --cnn')" };
        var cmd = new Command("demo", "The falsifier on built-in data: does a trained network's win on sparse parity survive freezing its features? Writes a report.")
            { output, seeds, quiet, cnn };
        cmd.Subcommands.Add(KernelDemo());
        cmd.SetAction(p =>
        {
            if (p.GetValue(cnn)) return RunKernelDemo(DigitsDemo.ConvolutionalArchitecture);
            string dir = p.GetValue(output)!;
            var e = Experiment(p.GetValue(seeds));
            using var interruption = new Interruption();
            return FalsifyCommand.Execute(e, dir, p.GetValue(quiet), interruption.Token,
                $"tangent demo: sparse parity (2 of 30 coordinates), muP network vs its linearisation vs NTK/NNGP regression, {e.Seeds} seeds, n = {string.Join(", ", e.TrainSizes)}; report to {Path.GetFullPath(dir)}");
        });
        return cmd;
    }

    private static Command KernelDemo()
    {
        var arch = new Option<string>("--arch") { Description = "architecture (default: depth-3 ReLU network)", DefaultValueFactory = _ => DigitsDemo.DefaultArchitecture };
        var cnn = new Option<bool>("--cnn") { Description = "use the depth-3 convolutional NTK with global average pooling (CNTK-GAP) on 8x8 images" };
        var cmd = new Command("kernel", "NTK kernel regression on the built-in digits: 1000 images train, 797 test.") { arch, cnn };
        cmd.SetAction(p => RunKernelDemo(p.GetValue(cnn) ? DigitsDemo.ConvolutionalArchitecture : p.GetValue(arch)!));
        return cmd;
    }

    private static int RunKernelDemo(string spec)
    {
        var r = ConsoleProgress.Run("NTK of 1797 digits", pr => DigitsDemo.Run(spec, progress: pr));
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"architecture:  {r.Architecture}");
        Console.WriteLine($"data:          digits, {r.Train} train / {r.Test} test, 8x8 pixels scaled to [0, 1], one-hot targets");
        Console.WriteLine(string.Create(inv, $"NTK kernel:    {r.KernelSeconds:0.000} s for {r.Train + r.Test}x{r.Train + r.Test} (NTK + NNGP, float64, {Environment.ProcessorCount} threads)"));
        Console.WriteLine(string.Create(inv, $"solve:         {r.SolveSeconds:0.000} s (Cholesky, t = infinity)"));
        Console.WriteLine(string.Create(inv, $"test accuracy: {r.TestAccuracy:P2}"));
        return CliApp.Ok;
    }
}
