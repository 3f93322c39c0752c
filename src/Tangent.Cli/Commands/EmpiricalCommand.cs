using System.CommandLine;
using System.Numerics;
using Tangent.Empirical;
using Tangent.IO;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Cli;

/// <summary>
/// <c>tangent empirical</c>: the empirical NTK (or readout NNGP) of a finite network built from the spec, with weights from a
/// .safetensors file or a seeded initialisation, or the Monte Carlo mean over M seeded networks.
/// </summary>
internal static class EmpiricalCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "architecture: text form or @file.json", Required = true };
        var weights = new Option<string?>("--weights") { Description = ".safetensors file with tensors '{layer_index}.weight' / '{layer_index}.bias'" };
        var seed = new Option<ulong?>("--seed") { Description = "initialise the network(s) from this seed instead of loading weights" };
        var parameterization = new Option<string?>("--parameterization") { Description = "ntk, standard, mup or mean_field (default: each layer's spec, ntk unless it says standard)" };
        parameterization.AcceptOnlyFromAmong(NetworkParameterizationNames.All);
        var width = new Option<int>("--width") { Description = "width of hidden layers whose spec gives none" };
        var x1 = new Option<string>("--x1") { Description = "inputs, .npy or .csv, one example per row (images NHWC)", Required = true };
        var x2 = new Option<string?>("--x2") { Description = "second input set; default: x1 with itself" };
        var full = new Option<bool>("--full") { Description = "write [N1, N2, O, O] instead of the output-traced [N1, N2]" };
        var samples = new Option<int>("--samples") { Description = "Monte Carlo: mean over this many networks (needs --seed)", DefaultValueFactory = _ => 1 };
        var get = new Option<string>("--get") { Description = "ntk, or nngp of the readout features", DefaultValueFactory = _ => "ntk" };
        get.AcceptOnlyFromAmong("ntk", "nngp");
        var method = new Option<string>("--method") { Description = "structured (fast) or contraction (reference)", DefaultValueFactory = _ => "structured" };
        method.AcceptOnlyFromAmong("structured", "contraction");
        var dtype = new Option<string>("--dtype") { Description = "precision of the computation and the output", DefaultValueFactory = _ => "float64" };
        dtype.AcceptOnlyFromAmong("float64", "float32");
        var threads = new Option<int>("--threads") { Description = "networks computed at once with --samples (default: processor count)" };
        var output = new Option<string>("--out", "-o") { Description = "output file, .npy (or .csv for traced kernels), written atomically", Required = true };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress display" };

        var cmd = new Command("empirical", "Empirical NTK (or NNGP) of a finite network built from the spec.")
            { arch, weights, seed, parameterization, width, x1, x2, full, samples, get, method, dtype, threads, output, quiet };
        cmd.SetAction(p =>
        {
            var request = new Request(
                Architecture.Parse(p.GetValue(arch)!), p.GetValue(weights), p.GetValue(seed),
                p.GetValue(parameterization) is { } name ? NetworkParameterizationNames.Parse(name) : null,
                p.GetValue(width), p.GetValue(full), p.GetValue(samples), p.GetValue(get) == "nngp" ? EmpiricalKernelKind.Nngp : EmpiricalKernelKind.Ntk,
                p.GetValue(method) == "contraction" ? EmpiricalMethod.Contraction : EmpiricalMethod.Structured, p.GetValue(threads), p.GetValue(quiet));
            if (request.Weights is null == request.Seed is null) throw new UsageException("give exactly one of --weights FILE and --seed N");
            if (request.Samples < 1) throw new UsageException("--samples must be at least 1");
            if (request.Samples > 1 && request.Weights is not null) throw new UsageException("--samples draws networks from --seed; it cannot be used with --weights");
            if (request.Width < 0) throw new UsageException("--width must be positive");
            string outPath = p.GetValue(output)!;
            InputFiles.EnsureWritableOutput(outPath);
            if (request.Full && !outPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--out {outPath}: a --full kernel has 4 axes; write it as .npy");
            var a = InputFiles.ReadFinite(p.GetValue(x1)!, "--x1");
            var b = p.GetValue(x2) is { } path2 ? InputFiles.ReadFinite(path2, "--x2") : null;
            var shape = ExampleShape(a, "--x1");
            if (b is not null && !ExampleShape(b, "--x2").Equals(shape))
                throw new DataFormatException($"--x2 examples have shape {ExampleShape(b, "--x2")}, --x1 examples {shape}");
            if (p.GetValue(dtype) == "float32") Run<float>(request, a, b, shape, outPath);
            else Run<double>(request, a, b, shape, outPath);
            return CliApp.Ok;
        });
        return cmd;
    }

    private sealed record Request(Architecture Architecture, string? Weights, ulong? Seed, NetworkParameterization? Parameterization, int Width, bool Full,
        int Samples, EmpiricalKernelKind Kind, EmpiricalMethod Method, int Threads, bool Quiet);

    private static void Run<T>(Request r, NdArray a, NdArray? b, TensorShape shape, string outPath) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m1 = InputFiles.ToMatrix<T>(a);
        var m2 = b is null ? null : InputFiles.ToMatrix<T>(b);
        IParameterSource source = r.Weights is not null ? LoadedParameters.FromFile(r.Weights) : new SeededParameters(r.Seed!.Value);
        var options = new FiniteNetworkOptions { Parameterization = r.Parameterization, Width = r.Width, Source = source };
        var empirical = new EmpiricalOptions { Method = r.Method, Full = r.Full };
        // Built before any progress display, so spec, width and weights errors surface at once (exit code 2).
        var network = FiniteNetwork<T>.Create(r.Architecture, shape, options);
        var kernel = ConsoleProgress.Run("empirical", progress =>
        {
            if (r.Samples == 1)
                return r.Kind == EmpiricalKernelKind.Ntk ? EmpiricalNtk.Compute(network, m1, m2, empirical) : EmpiricalNngp.Compute(network, m1, m2, r.Full);
            return MonteCarloKernel.Mean(r.Architecture, shape, m1, m2, options, new MonteCarloOptions
            {
                Samples = r.Samples, Seed = r.Seed!.Value, Kind = r.Kind, Empirical = empirical, Progress = progress,
                Threads = r.Threads > 0 ? r.Threads : Environment.ProcessorCount,
            });
        }, r.Quiet);
        if (typeof(T) == typeof(float)) ArrayFile.Write(outPath, (float[])(object)kernel.Data, kernel.Shape);
        else ArrayFile.Write(outPath, (double[])(object)kernel.Data, kernel.Shape);
    }

    /// <summary>The shape of one example: [N, d] flat, [N, L, C] sequences, [N, H, W, C] images.</summary>
    internal static TensorShape ExampleShape(NdArray a, string option) => a.Shape.Length switch
    {
        1 => TensorShape.Flat(1),
        2 => TensorShape.Flat(a.Shape[1]),
        3 => new TensorShape([a.Shape[1]], a.Shape[2]),
        4 => new TensorShape([a.Shape[1], a.Shape[2]], a.Shape[3]),
        _ => throw new DataFormatException($"{option}: arrays of rank {a.Shape.Length} are not examples (use [N, d], [N, L, C] or [N, H, W, C])"),
    };
}
