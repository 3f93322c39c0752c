using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tangent.IO;
using Tangent.Kernels;
using Tangent.Linalg;
using Tangent.Sharding;
using Tangent.Solvers;

namespace Tangent.Cli;

/// <summary>What an out-of-core prediction from a tile store is asked to do (the options of <c>tangent store predict</c>, and of <c>tangent predict --kernel-store</c>).</summary>
internal sealed record StorePredictRequest
{
    public required string Store { get; init; }
    public required string YTrain { get; init; }
    public string? TestStore { get; init; }
    public string? KTestTrain { get; init; }
    public string? FxTrain0 { get; init; }
    public string? FxTest0 { get; init; }
    public double DiagReg { get; init; }
    public bool DiagRegAbsolute { get; init; }
    public double Tolerance { get; init; } = 1e-6;
    public int MaxIterations { get; init; } = 500;
    public int? Rank { get; init; }
    public int Seed { get; init; }
    public string? Times { get; init; }
    public required string OutPrefix { get; init; }
    public bool Quiet { get; init; }
}

/// <summary>
/// Kernel regression and predictions straight from a tile store (t = ∞ of gradient descent on MSE):
/// writes PREFIX.train.npy and PREFIX.test.npy ([1, N, O], like <c>tangent predict</c>), PREFIX.alpha.npy (the dual
/// coefficients, N x O) and PREFIX.solve.json (iterations, residuals, timings, peak memory).
/// </summary>
internal static class StorePredict
{
    public static int Run(StorePredictRequest q)
    {
        string prefix = Prefix(q.OutPrefix);
        if (q.Times is { } times && times.Split(',').Any(t => t.Trim().ToLowerInvariant() is not ("inf" or "infinity")))
            throw new UsageException($"--t {times}: a tile store is solved for t = inf only (finite times need the kernel's eigendecomposition, which needs it in memory)");
        if (q.TestStore is not null && q.KTestTrain is not null) throw new UsageException("give --test-store or --k-test-train, not both");
        if (q.FxTest0 is not null && q.TestStore is null && q.KTestTrain is null) throw new UsageException("--fx-test-0 needs test points (--test-store or --k-test-train)");

        var store = TileStore.Open(q.Store);
        var training = new StoreTrainingKernel(store);
        int n = training.Rows;
        var y = Targets(q.YTrain, "--y-train", n);
        var f0 = q.FxTrain0 is null ? null : Targets(q.FxTrain0, "--fx-train-0", n, y.Cols);
        IKernelMatrix? test = q.TestStore is not null ? TestStore(q.TestStore, store) : q.KTestTrain is not null ? TestFile(q.KTestTrain, n) : null;
        var g0 = q.FxTest0 is null ? null : Targets(q.FxTest0, "--fx-test-0", test!.Rows, y.Cols);

        var targets = y;
        if (f0 is not null)
        {
            targets = y.Clone();
            for (int i = 0; i < targets.Data.Length; i++) targets.Data[i] -= f0.Data[i];
        }

        var log = q.Quiet ? null : new Action<string>(line => Console.Error.WriteLine(line));
        log?.Invoke($"store {store.Directory}: {store.Describe()}");
        using var interruption = new Interruption();
        var clock = Stopwatch.StartNew();
        double lastPass = 0;
        var options = new RegressionOptions
        {
            DiagonalRegularization = q.DiagReg,
            AbsoluteRegularization = q.DiagRegAbsolute,
            Tolerance = q.Tolerance,
            MaxIterations = q.MaxIterations,
            PreconditionerSize = q.Rank,
            Seed = q.Seed,
            Log = log,
            Cancellation = interruption.Token,
            OnIteration = log is null ? null : it =>
            {
                log(string.Create(CultureInfo.InvariantCulture, $"cg: iteration {it.Iteration,4}  residual {it.Residual:0.00e+00}  (target {q.Tolerance:0.0e+00})  {it.Seconds - lastPass:0.00} s/pass"));
                lastPass = it.Seconds;
            },
        };
        RegressionSolution solution;
        Matrix<double>? testPredictions = null;
        try
        {
            solution = OutOfCoreRegression.Fit(training, targets, options);
            if (!solution.Converged)
                throw new KernelRequestException(string.Create(CultureInfo.InvariantCulture,
                    $"conjugate gradients stopped at relative residual {solution.Residual:0.0e+00} after {solution.Iterations} iterations, above the tolerance {q.Tolerance:0.0e+00}; raise --max-iter, sample more columns with --rank, or add --diag-reg; nothing was written"));
            if (test is not null)
            {
                log?.Invoke("predict: one pass over the test kernel");
                testPredictions = OutOfCoreRegression.Predict(test, solution.Alpha, interruption.Token);
            }
        }
        catch (OperationCanceledException) when (interruption.Token.IsCancellationRequested)
        {
            Console.Error.WriteLine("tangent: interrupted; no output was written");
            return 130;
        }

        var train = solution.TrainPredictions;
        if (f0 is not null) for (int i = 0; i < train.Data.Length; i++) train.Data[i] += f0.Data[i];
        if (testPredictions is not null && g0 is not null) for (int i = 0; i < testPredictions.Data.Length; i++) testPredictions.Data[i] += g0.Data[i];

        var written = new List<string>();
        Npy.Write(prefix + ".train.npy", train.Data, [1, train.Rows, train.Cols]);
        written.Add($"{prefix}.train.npy [1, {train.Rows}, {train.Cols}]");
        if (testPredictions is not null)
        {
            Npy.Write(prefix + ".test.npy", testPredictions.Data, [1, testPredictions.Rows, testPredictions.Cols]);
            written.Add($"{prefix}.test.npy [1, {testPredictions.Rows}, {testPredictions.Cols}]");
        }
        Npy.Write(prefix + ".alpha.npy", solution.Alpha.Data, [solution.Alpha.Rows, solution.Alpha.Cols]);
        written.Add($"{prefix}.alpha.npy [{solution.Alpha.Rows}, {solution.Alpha.Cols}]");
        var report = Report(store, training, test, solution, clock.Elapsed.TotalSeconds);
        AtomicFile.Write(prefix + ".solve.json", s => s.Write(System.Text.Encoding.UTF8.GetBytes(report + "\n")));
        written.Add($"{prefix}.solve.json");
        if (!q.Quiet)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"solved: residual {solution.Residual:0.0e+00} ≤ {q.Tolerance:0.0e+00} in {solution.Iterations} iterations, {clock.Elapsed.TotalSeconds:0.0} s, peak memory {Peak()}"));
            foreach (var w in written) Console.Error.WriteLine("wrote " + w);
        }
        return CliApp.Ok;
    }

    /// <summary>The run's facts as JSON, for logs and benchmarks.</summary>
    private static string Report(TileStore store, StoreKernelMatrix training, IKernelMatrix? test, RegressionSolution s, double seconds) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["store"] = store.Directory,
            ["n"] = s.Alpha.Rows,
            ["outputs"] = s.Alpha.Cols,
            ["ridge"] = s.Ridge,
            ["mean_diagonal"] = s.MeanDiagonal,
            ["tolerance"] = s.Tolerance,
            ["residual"] = s.Residual,
            ["converged"] = s.Converged,
            ["iterations"] = s.Iterations,
            ["restarts"] = s.Restarts,
            ["sample_size"] = s.SampleSize,
            ["preconditioner_rank"] = s.PreconditionerRank,
            ["preconditioner_seconds"] = s.PreconditionerSeconds,
            ["solve_seconds"] = s.SolveSeconds,
            ["seconds"] = seconds,
            ["passes"] = training.Passes,
            ["bytes_read"] = training.BytesRead + ((test as StoreKernelMatrix)?.BytesRead ?? 0),
            ["memory_limit_bytes"] = MemoryBudget.AvailableBytes() + GC.GetTotalMemory(false),
            ["peak_rss_bytes"] = ProcessMemory.PeakResidentBytes(),
            ["history"] = s.History,
        }, new JsonSerializerOptions { WriteIndented = true });

    private static string Peak() => ProcessMemory.PeakResidentBytes() is { } b ? MemoryBudget.Format(b) + " (RSS)" : "unknown";

    /// <summary>A test-train store: rows are the test points, columns must be this training store's points, same kernel.</summary>
    private static StoreKernelMatrix TestStore(string dir, TileStore training)
    {
        var test = TileStore.Open(dir);
        var a = test.Manifest;
        var b = training.Manifest;
        if (a.Symmetric || a.X2 is null)
            throw new DataFormatException($"--test-store {dir}: a test kernel is of the test inputs (--x1) against the training inputs (--x2); this store is of one input set with itself");
        if (!a.X2.Matches(b.X1))
            throw new DataFormatException($"--test-store {dir}: its columns are inputs {a.X2}, but the training store's points are {b.X1}; compute it with --x2 set to the training inputs");
        if (a.Kernel != b.Kernel || a.Architecture != b.Architecture)
            throw new DataFormatException($"--test-store {dir}: it holds the {a.Kernel.ToUpperInvariant()} of '{a.Architecture}', the training store the {b.Kernel.ToUpperInvariant()} of '{b.Architecture}'");
        return new StoreKernelMatrix(test);
    }

    private static DenseKernelMatrix TestFile(string path, int n)
    {
        var a = InputFiles.ReadFinite(path, "--k-test-train");
        if (a.Shape.Length != 2 || a.Shape[1] != n)
            throw new DataFormatException($"{path} (--k-test-train): expected M x {n} (test points x training points), got [{string.Join(", ", a.Shape)}]");
        return new DenseKernelMatrix(InputFiles.ToMatrix<double>(a));
    }

    /// <summary>N x O targets or outputs (a vector of N is one output).</summary>
    private static Matrix<double> Targets(string path, string option, int rows, int? cols = null)
    {
        var a = InputFiles.ReadFinite(path, option);
        if (a.Shape.Length > 2) throw new DataFormatException($"{path} ({option}): expected N x O or a vector of N, got [{string.Join(", ", a.Shape)}]");
        var m = InputFiles.ToMatrix<double>(a);
        if (m.Rows != rows) throw new DataFormatException($"{path} ({option}): {m.Rows} rows, but there are {rows} points");
        if (cols is { } c && m.Cols != c) throw new DataFormatException($"{path} ({option}): {m.Cols} columns, but the targets have {c}");
        return m;
    }

    /// <summary>PREFIX as given; a trailing .npy is dropped so files are not named x.npy.train.npy.</summary>
    private static string Prefix(string prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix)) throw new UsageException("--out needs a prefix, e.g. --out results/run1");
        if (prefix.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) prefix = prefix[..^4];
        if (Directory.Exists(prefix)) throw new UsageException($"--out {prefix}: is a directory; give a prefix such as {Path.Combine(prefix, "pred")}");
        return prefix;
    }
}
