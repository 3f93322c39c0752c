using System.CommandLine;
using System.Globalization;
using Tangent.Experiments;

namespace Tangent.Cli;

/// <summary><c>tangent demo</c>: NTK regression on the built-in digits (1000 train, 797 test).</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "architecture (default: depth-3 ReLU network)", DefaultValueFactory = _ => DigitsDemo.DefaultArchitecture };
        var cnn = new Option<bool>("--cnn") { Description = "use the depth-3 convolutional NTK with global average pooling (CNTK-GAP) on 8x8 images" };
        var cmd = new Command("demo", "NTK kernel regression on the built-in digits: 1000 images train, 797 test.") { arch, cnn };
        cmd.SetAction(p =>
        {
            string spec = p.GetValue(cnn) ? DigitsDemo.ConvolutionalArchitecture : p.GetValue(arch)!;
            var r = ConsoleProgress.Run("NTK of 1797 digits", pr => DigitsDemo.Run(spec, progress: pr));
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"architecture:  {r.Architecture}");
            Console.WriteLine($"data:          digits, {r.Train} train / {r.Test} test, 8x8 pixels scaled to [0, 1], one-hot targets");
            Console.WriteLine(string.Create(inv, $"NTK kernel:    {r.KernelSeconds:0.000} s for {r.Train + r.Test}x{r.Train + r.Test} (NTK + NNGP, float64, {Environment.ProcessorCount} threads)"));
            Console.WriteLine(string.Create(inv, $"solve:         {r.SolveSeconds:0.000} s (Cholesky, t = infinity)"));
            Console.WriteLine(string.Create(inv, $"test accuracy: {r.TestAccuracy:P2}"));
            return CliApp.Ok;
        });
        return cmd;
    }
}
