using System.Diagnostics;
using System.Globalization;
using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Solvers;

/// <summary>
/// Kernel ridge regression — the t = ∞ predictions of gradient descent on MSE — with a kernel that need not fit in
/// memory: α = (K + λI)⁻¹ y by conjugate gradients preconditioned with a Nyström approximation of K, every product a
/// streamed pass over the kernel's tiles; predictions K(X*, X) α by one more pass over a test kernel. Memory is planned
/// up front against the limit (TANGENT_MEMORY_LIMIT): the preconditioner's sample shrinks to fit, and a problem that
/// cannot fit at all is refused before any work.
/// </summary>
public static class OutOfCoreRegression
{
    /// <summary>Restarts from the true residual allowed when the CG recurrence has drifted below it.</summary>
    private const int MaxRestarts = 3;

    /// <summary>
    /// The default preconditioner sample: 1000 columns, or all N for small problems (then the preconditioner is
    /// nearly exact). Enough to capture the leading eigenvalues of typical NTK / NNGP matrices, whose spectra decay fast,
    /// at a cost of one pass over the kernel plus O(N m²) flops.
    /// </summary>
    public static int DefaultSampleSize(int n) => Math.Min(n, 1000);

    /// <summary>Solves (K + λI) α = <paramref name="targets"/> and returns α with the training predictions K α.</summary>
    /// <exception cref="KernelRequestException">Shapes disagree, the targets are not finite, or the solve cannot fit in the memory limit.</exception>
    public static RegressionSolution Fit(ITrainingKernel kernel, Matrix<double> targets, RegressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(targets);
        options ??= new RegressionOptions();
        int n = kernel.Rows, outputs = targets.Cols;
        if (kernel.Cols != n) throw new KernelRequestException($"the training kernel must be square, got {n} x {kernel.Cols}");
        if (targets.Rows != n) throw new KernelRequestException($"the targets have {targets.Rows} rows but the kernel has {n} training points");
        if (outputs < 1) throw new KernelRequestException("the targets have no columns");
        if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<double>(targets.Data)) throw new KernelRequestException("the targets hold NaN or infinite values");
        if (!(options.Tolerance > 0 && options.Tolerance < 1)) throw new KernelRequestException($"the tolerance must be between 0 and 1, got {options.Tolerance}");
        if (!(options.DiagonalRegularization >= 0) || !double.IsFinite(options.DiagonalRegularization))
            throw new KernelRequestException($"the diagonal regularisation must be a non-negative number, got {options.DiagonalRegularization}");
        var log = options.Log ?? (_ => { });
        var ct = options.Cancellation;

        int m = PlanSampleSize(kernel, n, outputs, options, log);

        var diagonal = new double[n];
        kernel.Diagonal(diagonal, ct);
        double meanDiagonal = diagonal.Sum() / n;
        double ridge = options.AbsoluteRegularization ? options.DiagonalRegularization : options.DiagonalRegularization * meanDiagonal;
        log(string.Create(CultureInfo.InvariantCulture, $"kernel: N = {n}, trace/N = {meanDiagonal:G4}, ridge λ = {ridge:G4}, {outputs} output{(outputs == 1 ? "" : "s")}"));

        var clock = Stopwatch.StartNew();
        NystromPreconditioner? preconditioner = null;
        if (m > 0)
        {
            log($"preconditioner: sampling {m} columns (one pass over the kernel)");
            preconditioner = NystromPreconditioner.Build(kernel, m, ridge, options.Seed, ct);
            var l = preconditioner.Eigenvalues;
            log(string.Create(CultureInfo.InvariantCulture, $"preconditioner: rank {preconditioner.Rank}, Nyström eigenvalues {l[0]:G3} .. {l[^1]:G3}, {clock.Elapsed.TotalSeconds:0.0} s"));
        }
        double preconditionerSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();

        void Apply(double[] p, double[] q)
        {
            kernel.Multiply(p, outputs, q, ct);
            if (ridge != 0) for (int i = 0; i < n; i++) for (int j = 0; j < outputs; j++) q[i * outputs + j] += ridge * p[i * outputs + j];
        }
        Action<double[], double[]>? precondition = preconditioner is null ? null : (r, z) => preconditioner.Apply(r, outputs, z);

        var history = new List<double>();
        int iterations = 0, restarts = 0;
        double[]? x = null, residual0 = null;
        double[] kx = new double[n * outputs];
        double trueResidual;
        while (true)
        {
            var cg = ConjugateGradient.Solve(Apply, precondition, targets.Data, n, outputs, new CgOptions
            {
                Tolerance = options.Tolerance,
                MaxIterations = Math.Max(0, options.MaxIterations - iterations),
                Cancellation = ct,
                OnIteration = it => options.OnIteration?.Invoke(it with { Iteration = iterations + it.Iteration }),
            }, x, residual0);
            history.AddRange(history.Count == 0 ? cg.History : cg.History.Skip(1));
            iterations += cg.Iterations;
            x = cg.Solution;

            // The recurrence residual drifts from the true one in floating point: check with a real product, which
            // also gives the training predictions K α.
            kernel.Multiply(x, outputs, kx, ct);
            residual0 = new double[n * outputs];
            for (int e = 0; e < residual0.Length; e++) residual0[e] = targets.Data[e] - kx[e] - ridge * x[e];
            var norms = ConjugateGradient.ColumnNorms(residual0, n, outputs);
            var reference = ConjugateGradient.ColumnNorms(targets.Data, n, outputs);
            trueResidual = Enumerable.Range(0, outputs).Max(j => reference[j] == 0 ? norms[j] : norms[j] / reference[j]);
            log(string.Create(CultureInfo.InvariantCulture, $"check: true relative residual {trueResidual:0.00e+00} after {iterations} iterations (target {options.Tolerance:0.0e+00})"));
            if (trueResidual <= options.Tolerance || iterations >= options.MaxIterations || restarts >= MaxRestarts) break;
            restarts++;
            log("cg: restarting from the true residual");
        }
        return new RegressionSolution
        {
            Alpha = new Matrix<double>(n, outputs, x),
            TrainPredictions = new Matrix<double>(n, outputs, kx),
            Ridge = ridge,
            MeanDiagonal = meanDiagonal,
            Iterations = iterations,
            Residual = trueResidual,
            Tolerance = options.Tolerance,
            History = history,
            SampleSize = m,
            PreconditionerRank = preconditioner?.Rank ?? 0,
            PreconditionerSeconds = preconditionerSeconds,
            SolveSeconds = clock.Elapsed.TotalSeconds,
            Restarts = restarts,
        };
    }

    /// <summary>K(X*, X) α: predictions at the points of <paramref name="testTrain"/>'s rows (one pass over it).</summary>
    /// <exception cref="KernelRequestException">The test kernel's columns are not the training points.</exception>
    public static Matrix<double> Predict(IKernelMatrix testTrain, Matrix<double> alpha, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(testTrain);
        ArgumentNullException.ThrowIfNull(alpha);
        if (testTrain.Cols != alpha.Rows)
            throw new KernelRequestException($"the test kernel has {testTrain.Cols} columns but there are {alpha.Rows} training points");
        var result = new Matrix<double>(testTrain.Rows, alpha.Cols);
        testTrain.Multiply(alpha.Data, alpha.Cols, result.Data, cancellation);
        return result;
    }

    /// <summary>
    /// The preconditioner's sample size that fits the memory limit next to the kernel's read buffers and the CG
    /// vectors; refuses (with the numbers) when not even the minimum fits.
    /// </summary>
    private static int PlanSampleSize(ITrainingKernel kernel, int n, int outputs, RegressionOptions options, Action<string> log)
    {
        long budget = options.MemoryLimitBytes ?? MemoryBudget.AvailableBytes();
        // x, r, z, p, q, K x, the true residual and the targets' copy: eight N x O blocks; the kernel's buffers; slack
        // for the runtime's own allocations.
        long fixedBytes = 8L * 8 * n * outputs + kernel.WorkingBytes + (64L << 20);
        int requested = options.PreconditionerSize ?? DefaultSampleSize(n);
        if (requested < 0) throw new KernelRequestException($"the preconditioner size must be 0 (none) or more, got {requested}");
        requested = Math.Min(requested, n);
        if (fixedBytes > budget)
            throw new KernelRequestException($"the out-of-core solve needs at least {MemoryBudget.Format(fixedBytes)} (kernel read buffers {MemoryBudget.Format(kernel.WorkingBytes)}, solver vectors {MemoryBudget.Format(64.0 * n * outputs)}) but the limit is {MemoryBudget.Format(budget)}; raise TANGENT_MEMORY_LIMIT or make the store with a smaller --tile");
        int m = requested;
        while (m > 0 && fixedBytes + NystromPreconditioner.BuildBytes(n, m) > budget) m = m * 3 / 4;
        if (m < requested)
        {
            if (options.PreconditionerSize is not null && m < requested)
                throw new KernelRequestException($"a preconditioner of {requested} columns needs {MemoryBudget.Format(fixedBytes + NystromPreconditioner.BuildBytes(n, requested))} but the limit is {MemoryBudget.Format(budget)}; ask for at most {m} (--rank)");
            log($"preconditioner: {m} columns instead of {requested} to stay within the memory limit of {MemoryBudget.Format(budget)}");
        }
        return m;
    }
}
