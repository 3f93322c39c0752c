using System.CommandLine;
using Tangent.IO;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Cli;

/// <summary><c>tangent kernel</c>: the analytic infinite-width NTK or NNGP of an architecture on one or two input sets.</summary>
internal static class KernelCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "architecture: text form ('dense(w=1.41,b=0.1) > relu > dense') or @file.json", Required = true };
        var x1 = new Option<string>("--x1") { Description = "inputs, .npy or .csv, one example per row (images NHWC)", Required = true };
        var x2 = new Option<string?>("--x2") { Description = "second input set; default: x1 with itself (symmetric, faster)" };
        var get = new Option<string>("--get") { Description = "which kernel to write", DefaultValueFactory = _ => "ntk" };
        get.AcceptOnlyFromAmong("ntk", "nngp");
        var dtype = new Option<string>("--dtype") { Description = "precision of the computation and the output", DefaultValueFactory = _ => "float64" };
        dtype.AcceptOnlyFromAmong("float64", "float32");
        var output = new Option<string?>("--out", "-o") { Description = "output file, .npy or .csv (written atomically); or --store DIR" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress display" };
        var scale = new Option<ScaleMode>("--scale") { Description = "rescale inputs with x1's statistics: none, unit (divide by the largest |value|), standardize (per channel)", DefaultValueFactory = _ => ScaleMode.None };
        var limit = new Option<int?>("--limit") { Description = "use only the first N examples of each input" };
        var device = DeviceOption.Create();

        var cmd = new Command("kernel", "Analytic infinite-width kernel (NTK or NNGP) of an architecture.\n" +
            "Inputs: .npy/.csv (N x d, or NHWC images N x H x W x C, or sequences N x L x C), IDX (MNIST, gzipped or not), CIFAR-10 .bin batches.")
            { arch, x1, x2, get, dtype, output, quiet, scale, limit, device };
        var sharding = KernelStoreOptions.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var architecture = Architecture.Parse(p.GetValue(arch)!);
            var a = Scaling.Take(InputFiles.ReadFinite(p.GetValue(x1)!, "--x1"), p.GetValue(limit));
            var b = p.GetValue(x2) is { } path ? Scaling.Take(InputFiles.ReadFinite(path, "--x2"), p.GetValue(limit)) : null;
            if (b is not null && !b.Shape.AsSpan(1).SequenceEqual(a.Shape.AsSpan(1)))
                throw new UsageException($"--x1 examples have shape [{string.Join(", ", a.Shape[1..])}] but --x2 examples have [{string.Join(", ", b.Shape[1..])}]");
            Scaling.Apply(p.GetValue(scale), a, b);
            var shape = InputFiles.ExampleShape(a);
            if (sharding.Requested(p))
                return sharding.Run(p, architecture, a, b, shape, p.GetValue(get) == "ntk", p.GetValue(dtype) == "float32", p.GetValue(quiet), p.GetValue(output), $"scale={p.GetValue(scale)} limit={p.GetValue(limit)?.ToString() ?? "none"}");
            string outPath = p.GetValue(output) ?? throw new UsageException("--out FILE is required (or --store DIR to compute a tile store)");
            InputFiles.EnsureWritableOutput(outPath);
            bool ntk = p.GetValue(get) == "ntk";
            var options = (IProgress<double> progress) => new KernelOptions { Ntk = ntk, Progress = progress };
            bool q = p.GetValue(quiet);
            var where = DeviceOption.Read(p, device);
            if (p.GetValue(dtype) == "float32")
            {
                var m1 = InputFiles.ToMatrix<float>(a);
                var m2 = b is null ? null : InputFiles.ToMatrix<float>(b);
                var result = ConsoleProgress.Run("kernel", pr => DeviceOption.Run(() => Tangent.Gpu.GpuKernel.ComputeImages(architecture, m1, shape, m2, options(pr), where)), q);
                var k = ntk ? result.Ntk! : result.Nngp;
                ArrayFile.Write(outPath, k.Data, [k.Rows, k.Cols]);
            }
            else
            {
                var m1 = InputFiles.ToMatrix<double>(a);
                var m2 = b is null ? null : InputFiles.ToMatrix<double>(b);
                var result = ConsoleProgress.Run("kernel", pr => DeviceOption.Run(() => Tangent.Gpu.GpuKernel.ComputeImages(architecture, m1, shape, m2, options(pr), where)), q);
                var k = ntk ? result.Ntk! : result.Nngp;
                ArrayFile.Write(outPath, k.Data, [k.Rows, k.Cols]);
            }
            return CliApp.Ok;
        });
        return cmd;
    }
}

/// <summary>Reading and checking the CLI's input files.</summary>
internal static class InputFiles
{
    /// <summary>Reads an array file and rejects NaN or infinite entries, naming the option and the entry.</summary>
    public static NdArray ReadFinite(string path, string option)
    {
        var a = ArrayFile.Read(path);
        if (a.Shape.Length == 0 || a.Rows == 0) throw new DataFormatException($"{path} ({option}): no examples");
        a.EnsureFinite($"{path} ({option})");
        return a;
    }

    /// <summary>
    /// The shape of one example: rank-2 files are flat (N x d), rank-3 sequences (N x L x C), rank-4 images (N x H x W x C).
    /// </summary>
    public static TensorShape ExampleShape(NdArray a) => a.Shape.Length switch
    {
        1 => TensorShape.Flat(1),
        2 => TensorShape.Flat(a.Shape[1]),
        3 => new TensorShape([a.Shape[1]], a.Shape[2]),
        4 => new TensorShape([a.Shape[1], a.Shape[2]], a.Shape[3]),
        _ => throw new DataFormatException($"inputs of rank {a.Shape.Length} are not supported: expected N x d, N x L x C or N x H x W x C"),
    };

    /// <summary>Rows are examples; all other axes are flattened (C order).</summary>
    public static Matrix<T> ToMatrix<T>(NdArray a) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int rows = a.Rows, cols = a.Shape.Length == 1 ? 1 : a.RowLength;
        var data = new T[a.Data.Length];
        for (int i = 0; i < data.Length; i++) data[i] = T.CreateTruncating(a.Data[i]);
        return new Matrix<T>(rows, cols, data);
    }

    /// <summary>Fails before any computation if the output cannot be written (missing directory is created later; a bad extension is caught now).</summary>
    public static void EnsureWritableOutput(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".npy" or ".csv" or ".txt"))
            throw new UsageException($"--out {path}: unknown output format '{ext}'; use .npy or .csv");
        if (Directory.Exists(path)) throw new UsageException($"--out {path}: is a directory");
    }
}
