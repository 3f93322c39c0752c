using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tangent.IO;
using Tangent.Kernels;
using Tangent.Linalg;
using Tangent.Sharding;
using Tangent.Solvers;

namespace Tangent.Bench;

/// <summary>
/// Out-of-core figures: a tile store of an N = 30,000 NTK (7.2 GB as float64) computed by two local workers, then
/// kernel regression and test predictions from it by a separate `tangent store predict` process under a 4 GB memory
/// limit, whose real peak RSS is recorded; checked against an in-memory Cholesky solve of the same kernel (which needs
/// 7.2 GB and is skipped, with a note, where the machine lacks it). One measurement serves the three figures.
/// TANGENT_BENCH_STORE_N changes N (e.g. for a quick look); TANGENT_BENCH_DIR the scratch folder (default: temp).
/// </summary>
public static class ShardingBenchmarks
{
    private const string Arch = "dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense";
    private const string MemoryLimit = "4GB";
    private const double DiagReg = 1e-4, Tolerance = 1e-6;
    private const int TestPoints = 1000, Dimension = 100, Classes = 10;

    private static readonly Lazy<Measurement> s_run = new(Measure);

    public static IEnumerable<BenchDefinition> All =>
    [
        new("store_solve_n30000_f64", $"Out-of-core kernel regression + {TestPoints} test predictions from an N=30000 NTK tile store (7.2 GB f64) under TANGENT_MEMORY_LIMIT={MemoryLimit}, to relative residual {Tolerance:0e0}",
            () => s_run.Value.Solve),
        new("store_solve_n30000_peak_rss", $"Peak resident memory of that solve (the process's VmHWM), against the {MemoryLimit} limit",
            () => s_run.Value.Peak),
        new("store_build_n30000_f64", "Computing the N=30000 NTK tile store (upper-triangle tiles of 2048, XXH128-checksummed, fsynced) with --workers 2",
            () => s_run.Value.Build),
    ];

    private sealed record Measurement(BenchFigure Solve, BenchFigure Peak, BenchFigure Build);

    private static Measurement Measure()
    {
        int n = Environment.GetEnvironmentVariable("TANGENT_BENCH_STORE_N") is { Length: > 0 } s ? int.Parse(s, CultureInfo.InvariantCulture) : 30000;
        string root = Path.Combine(Environment.GetEnvironmentVariable("TANGENT_BENCH_DIR") ?? Path.GetTempPath(), "tangent-bench-store-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try { return MeasureIn(root, n); }
        finally { try { Directory.Delete(root, recursive: true); } catch (IOException) { } }
    }

    private static Measurement MeasureIn(string root, int n)
    {
        string F(string name) => Path.Combine(root, name);
        WriteData(root, n);
        Log($"store bench: N = {n}, data in {root}");

        var build = Stopwatch.StartNew();
        Tangent(null, "kernel", "--arch", Arch, "--x1", F("x.npy"), "--store", F("train"), "--workers", "2", "-q");
        double buildSeconds = build.Elapsed.TotalSeconds;
        long storeBytes = StoreStatus.Collect(TileStore.Open(F("train"))).Bytes;
        Log($"store bench: train store built in {buildSeconds:0.0} s ({MemoryBudget.Format(storeBytes)} on disk)");
        Tangent(null, "kernel", "--arch", Arch, "--x1", F("xt.npy"), "--x2", F("x.npy"), "--store", F("test"), "--workers", "2", "-q");

        // The solve runs in its own process so that its peak RSS is its own; the GC heap is capped too, so an
        // allocation beyond the limit would fail rather than go unnoticed.
        var limited = new Dictionary<string, string>
        {
            ["TANGENT_MEMORY_LIMIT"] = MemoryLimit,
            ["DOTNET_GCHeapHardLimit"] = "0x" + MemoryBudget.ParseBytes(MemoryLimit)!.Value.ToString("X", CultureInfo.InvariantCulture),
        };
        var solve = Stopwatch.StartNew();
        Tangent(limited, "store", "predict", F("train"), "--y-train", F("y.npy"), "--test-store", F("test"), "--diag-reg", Str(DiagReg),
            "--tol", Str(Tolerance), "--out", F("pred"), "-q");
        double solveSeconds = solve.Elapsed.TotalSeconds;
        using var report = JsonDocument.Parse(File.ReadAllText(F("pred.solve.json")));
        var r = report.RootElement;
        long peak = r.GetProperty("peak_rss_bytes").GetInt64();
        Log($"store bench: solved in {solveSeconds:0.0} s, {r.GetProperty("iterations").GetInt32()} iterations, peak RSS {MemoryBudget.Format(peak)}");

        var details = new Dictionary<string, object>
        {
            ["seconds"] = solveSeconds, ["n"] = n, ["test_points"] = TestPoints, ["outputs"] = Classes,
            ["kernel_bytes"] = 8.0 * n * n, ["store_bytes"] = storeBytes, ["memory_limit"] = MemoryLimit,
            ["peak_rss_bytes"] = peak, ["tolerance"] = Tolerance, ["residual"] = r.GetProperty("residual").GetDouble(),
            ["iterations"] = r.GetProperty("iterations").GetInt32(), ["preconditioner_rank"] = r.GetProperty("preconditioner_rank").GetInt32(),
            ["preconditioner_seconds"] = r.GetProperty("preconditioner_seconds").GetDouble(), ["passes"] = r.GetProperty("passes").GetInt32(),
            ["bytes_read"] = r.GetProperty("bytes_read").GetInt64(), ["diag_reg"] = DiagReg, ["backend"] = LinearAlgebra.Current.Name,
        };
        CompareInMemory(root, details, solveSeconds);
        var solveFigure = new BenchFigure("store_solve_n30000_f64", solveSeconds, "s", details);
        var peakFigure = new BenchFigure("store_solve_n30000_peak_rss", peak / 1e9, "GB", new Dictionary<string, object>
        {
            ["bytes"] = peak, ["memory_limit"] = MemoryLimit, ["kernel_bytes"] = 8.0 * n * n, ["n"] = n,
        });
        var buildFigure = new BenchFigure("store_build_n30000_f64", buildSeconds, "s", new Dictionary<string, object>
        {
            ["n"] = n, ["entries_per_second"] = (double)n * n / buildSeconds, ["store_bytes"] = storeBytes, ["workers"] = 2, ["tile"] = KernelStoreJob.DefaultTileSize,
        });
        return new Measurement(solveFigure, peakFigure, buildFigure);
    }

    /// <summary>
    /// Solves the same regression with the whole kernel in memory (Cholesky) and compares: test predictions on the
    /// test points and the training predictions, as the largest difference relative to the largest prediction.
    /// </summary>
    private static void CompareInMemory(string root, Dictionary<string, object> details, double solveSeconds)
    {
        string F(string name) => Path.Combine(root, name);
        var train = TileStore.Open(F("train"));
        int n = train.Manifest.Rows;
        double need = 8.0 * n * n * 1.1 + 8.0 * TestPoints * n;
        if (MemoryBudget.AvailableBytes() < need)
        {
            details["in_memory"] = $"skipped: needs {MemoryBudget.Format(need)}, {MemoryBudget.Format(MemoryBudget.AvailableBytes())} available";
            return;
        }
        Log("store bench: in-memory Cholesky solve for comparison");
        var clock = Stopwatch.StartNew();
        var k = StoreMerger.ReadDense(train);
        double trace = 0;
        for (int i = 0; i < n; i++) trace += k[i, i];
        double ridge = DiagReg * trace / n;
        for (int i = 0; i < n; i++) k[i, i] += ridge;
        var la = LinearAlgebra.Current;
        if (!la.TryCholesky(n, k.Data)) { details["in_memory"] = "Cholesky failed: not positive definite"; return; }
        var y = Npy.Read(F("y.npy"));
        var alpha = (double[])y.Data.Clone();
        la.CholeskySolve(n, k.Data, Classes, alpha);
        double seconds = clock.Elapsed.TotalSeconds;
        k = null;
        GC.Collect();
        var kt = StoreMerger.ReadDense(TileStore.Open(F("test")));
        var expected = new double[TestPoints * Classes];
        la.GemmNN(TestPoints, Classes, n, 1.0, kt.Data, alpha, 0.0, expected);
        var actual = Npy.Read(F("pred.test.npy")).Data;
        double scale = expected.Max(Math.Abs), worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        var alphaStore = Npy.Read(F("pred.alpha.npy")).Data;
        double alphaScale = alpha.Max(Math.Abs), alphaWorst = 0;
        for (int i = 0; i < alpha.Length; i++) alphaWorst = Math.Max(alphaWorst, Math.Abs(alpha[i] - alphaStore[i]));
        details["in_memory_seconds"] = seconds;
        details["ratio"] = seconds / solveSeconds;
        details["test_prediction_max_rel_diff"] = worst / scale;
        details["alpha_max_rel_diff"] = alphaWorst / alphaScale;
        Log($"store bench: in-memory solve {seconds:0.0} s; test predictions differ by {worst / scale:0.0e+00} of their largest");
    }

    /// <summary>10 Gaussian clusters in 100 dimensions (class structure like image data: a fast-decaying kernel spectrum); one-hot targets.</summary>
    private static void WriteData(string root, int n)
    {
        var rng = new Random(2024);
        var centres = new double[Classes * Dimension];
        for (int i = 0; i < centres.Length; i++) centres[i] = KernelBenchmarks.Normal(rng);
        (double[] X, double[] Y) Draw(int count)
        {
            var x = new double[count * Dimension];
            var y = new double[count * Classes];
            for (int i = 0; i < count; i++)
            {
                int c = rng.Next(Classes);
                for (int j = 0; j < Dimension; j++) x[i * Dimension + j] = centres[c * Dimension + j] + 1.5 * KernelBenchmarks.Normal(rng);
                for (int j = 0; j < Classes; j++) y[i * Classes + j] = j == c ? 0.9 : -0.1;
            }
            return (x, y);
        }
        var (xTrain, yTrain) = Draw(n);
        var (xTest, _) = Draw(TestPoints);
        Npy.Write(Path.Combine(root, "x.npy"), xTrain, [n, Dimension]);
        Npy.Write(Path.Combine(root, "y.npy"), yTrain, [n, Classes]);
        Npy.Write(Path.Combine(root, "xt.npy"), xTest, [TestPoints, Dimension]);
    }

    /// <summary>Runs this same `tangent` as a child process; throws with its stderr if it fails.</summary>
    private static void Tangent(Dictionary<string, string>? environment, params string[] args)
    {
        string self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        // Run through the host as this process was (dotnet Tangent.Cli.dll ...) or as the apphost.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(ShardingBenchmarks).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) start.Environment[k] = v;
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"tangent {string.Join(' ', args.Take(2))} failed ({p.ExitCode}): {err.Result.Trim()}");
    }

    private static string Str(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static void Log(string line) => Console.Error.WriteLine(line);
}
