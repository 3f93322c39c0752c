using System.CommandLine;
using System.Runtime.Intrinsics;
using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Cli;

/// <summary><c>tangent info</c>: version, linear-algebra backend (and how to get the fast one), cores, SIMD, memory.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var cmd = new Command("info", "Show the active linear-algebra backend and the machine's capabilities.");
        cmd.SetAction(_ =>
        {
            var version = typeof(AnalyticKernel).Assembly.GetName().Version;
            Console.WriteLine($"tangent {version?.ToString(3)} on .NET {Environment.Version}");
            var la = LinearAlgebra.Current;
            Console.WriteLine($"linear algebra: {la.Name} [{(la.Kind == BackendKind.Native ? "native, fast path" : "managed fallback, about 20x slower")}]");
            if (la.Kind != BackendKind.Native)
            {
                if (LinearAlgebra.NativeLoadError is { } why) Console.WriteLine($"  native BLAS not loaded: {why}");
                Console.WriteLine($"  to get the fast path: {LinearAlgebra.FastPathHint}");
            }
            Console.WriteLine($"cores: {Environment.ProcessorCount}");
            Console.WriteLine($"SIMD: Vector512 {(Vector512.IsHardwareAccelerated ? "yes" : "no")}, Vector256 {(Vector256.IsHardwareAccelerated ? "yes" : "no")}");
            Console.WriteLine($"memory available: {MemoryBudget.Format(MemoryBudget.AvailableBytes())}");
            return CliApp.Ok;
        });
        return cmd;
    }
}
