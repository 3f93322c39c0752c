using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Tangent.Empirical;
using Tangent.IO;
using Tangent.Layers;
using Tangent.Specs;

namespace Tangent.Cli;

/// <summary>
/// <c>tangent converge</c>: how fast Monte Carlo kernels of finite networks (NTK parameterisation) approach the analytic
/// kernels as the width grows; writes DIR/converge.json with the relative Frobenius error per width and the fitted
/// log-log slope with its 95 % interval (theory: −1/2).
/// </summary>
internal static class ConvergeCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "architecture: text form or @file.json", Required = true };
        var widths = new Option<string>("--widths") { Description = "comma list of hidden widths, e.g. 64,128,256,512", Required = true };
        var samples = new Option<int>("--samples") { Description = "M: networks averaged into each Monte Carlo kernel", Required = true };
        var replicates = new Option<int>("--replicates") { Description = "R: independent Monte Carlo kernels per width, errors averaged in the mean-square sense (steadies the slope)", DefaultValueFactory = _ => 1 };
        var x1 = new Option<string>("--x1") { Description = "inputs, .npy or .csv, one example per row (images NHWC)", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "seed of the networks", DefaultValueFactory = _ => 0 };
        var method = new Option<string>("--method") { Description = "structured or contraction", DefaultValueFactory = _ => "structured" };
        method.AcceptOnlyFromAmong("structured", "contraction");
        var dtype = new Option<string>("--dtype") { Description = "precision of the finite networks and analytic kernels", DefaultValueFactory = _ => "float64" };
        dtype.AcceptOnlyFromAmong("float64", "float32");
        var threads = new Option<int>("--threads") { Description = "networks computed at once (default: processor count)" };
        var output = new Option<string>("--out", "-o") { Description = "output directory; converge.json is written there atomically", Required = true };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress display" };

        var cmd = new Command("converge", "Monte Carlo kernels of finite networks against the analytic kernels, as the width grows.")
            { arch, widths, samples, replicates, x1, seed, method, dtype, threads, output, quiet };
        cmd.SetAction(p =>
        {
            var architecture = Architecture.Parse(p.GetValue(arch)!);
            var list = ParseWidths(p.GetValue(widths)!);
            int m = p.GetValue(samples), r = p.GetValue(replicates);
            if (m < 1) throw new UsageException("--samples must be at least 1");
            if (r < 1) throw new UsageException("--replicates must be at least 1");
            string dir = p.GetValue(output)!;
            if (File.Exists(dir)) throw new UsageException($"--out {dir}: is a file; give a directory");
            var a = InputFiles.ReadFinite(p.GetValue(x1)!, "--x1");
            var shape = EmpiricalCommand.ExampleShape(a, "--x1");
            var em = p.GetValue(method) == "contraction" ? EmpiricalMethod.Contraction : EmpiricalMethod.Structured;
            ulong s = p.GetValue(seed);
            int t = p.GetValue(threads);
            var result = ConsoleProgress.Run("converge", progress => p.GetValue(dtype) == "float32"
                ? Run<float>(architecture, shape, a, list, m, s, r, em, t, progress)
                : Run<double>(architecture, shape, a, list, m, s, r, em, t, progress), p.GetValue(quiet));
            Write(Path.Combine(dir, "converge.json"), result, shape, a.Rows);
            if (!p.GetValue(quiet) && result.NtkFit is { } fit)
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"NTK error slope {fit.Slope:0.000} (95% interval [{fit.SlopeLow:0.000}, {fit.SlopeHigh:0.000}]; theory -0.5)"));
            return CliApp.Ok;
        });
        return cmd;
    }

    private static ConvergenceResult Run<T>(Architecture architecture, TensorShape shape, NdArray x, IReadOnlyList<int> widths, int samples, ulong seed, int replicates,
        EmpiricalMethod method, int threads, IProgress<double> progress) where T : unmanaged, IFloatingPointIeee754<T> =>
        Convergence.Run(architecture, shape, InputFiles.ToMatrix<T>(x), widths, samples, seed, replicates, method, threads, progress);

    internal static int[] ParseWidths(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new UsageException("--widths needs at least one width, e.g. 64,128,256");
        return parts.Select(w => int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 1
            ? v : throw new UsageException($"--widths: '{w}' is not a positive integer")).ToArray();
    }

    private static void Write(string path, ConvergenceResult r, TensorShape shape, int n)
    {
        static object? Fit(LogLogFit? f) => f is null ? null : new Dictionary<string, object>
        {
            ["slope"] = f.Slope, ["intercept"] = f.Intercept, ["interval"] = new[] { Finite(f.SlopeLow), Finite(f.SlopeHigh) }, ["confidence"] = f.Confidence,
        };
        var json = new Dictionary<string, object?>
        {
            ["architecture"] = r.Architecture,
            ["parameterization"] = "ntk",
            ["input_shape"] = shape.IsFlat ? new[] { shape.Channels } : [.. shape.Spatial, shape.Channels],
            ["examples"] = n,
            ["samples"] = r.Samples,
            ["replicates"] = r.Replicates,
            ["seed"] = r.Seed,
            ["widths"] = r.Points.Select(p => p.Width).ToArray(),
            ["error"] = "relative Frobenius error ||K_mc - K||_F / ||K||_F against the analytic kernel; RMS over replicates",
            ["points"] = r.Points.Select(p => new Dictionary<string, object?>
            {
                ["width"] = p.Width, ["ntk_relative_error"] = p.NtkError, ["nngp_relative_error"] = p.NngpError,
                ["network_ntk_relative_error"] = p.NetworkNtkError, ["replicate_ntk_relative_errors"] = p.ReplicateNtkErrors, ["seconds"] = p.Seconds,
            }).ToArray(),
            ["ntk_fit"] = Fit(r.NtkFit),
            ["nngp_fit"] = Fit(r.NngpFit),
            ["network_ntk_fit"] = Fit(r.NetworkNtkFit),
            ["theory_slope"] = -0.5,
        };
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, json, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
