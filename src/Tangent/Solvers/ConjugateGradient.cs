namespace Tangent.Solvers;

/// <summary>What conjugate gradients is told to do.</summary>
public sealed class CgOptions
{
    /// <summary>Stop when every column's residual ‖b − A x‖ is at most this fraction of ‖b‖.</summary>
    public double Tolerance { get; init; } = 1e-6;

    /// <summary>Give up after this many iterations (products with A).</summary>
    public int MaxIterations { get; init; } = 500;

    /// <summary>Called after each iteration.</summary>
    public Action<CgIteration>? OnIteration { get; init; }

    /// <summary>Stops between iterations.</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>The state after one iteration.</summary>
/// <param name="Iteration">Iterations done (1 after the first product).</param>
/// <param name="Residual">The largest relative residual over the columns.</param>
/// <param name="Seconds">Seconds since the solve started.</param>
public readonly record struct CgIteration(int Iteration, double Residual, double Seconds);

/// <summary>The outcome of a solve.</summary>
/// <param name="Solution">x, N x k row-major.</param>
/// <param name="Iterations">Iterations run.</param>
/// <param name="Residuals">Final relative residual of each column (by the CG recurrence).</param>
/// <param name="History">The largest relative residual after each iteration (entry 0: before the first).</param>
/// <param name="Converged">Every column reached the tolerance.</param>
public sealed record CgResult(double[] Solution, int Iterations, double[] Residuals, IReadOnlyList<double> History, bool Converged);

/// <summary>
/// Preconditioned conjugate gradients for A X = B with a symmetric positive definite A and k right-hand sides that share
/// every product with A (one pass over a tile store serves all of them). Each column runs its own recurrence (its own
/// step sizes), so the result for a column is what a single-vector solve would give; a converged column stops changing.
/// </summary>
public static class ConjugateGradient
{
    /// <summary>Solves A X = B.</summary>
    /// <param name="apply">Writes A p into q for a block p (N x k).</param>
    /// <param name="precondition">Writes M⁻¹ r into z, or null for none.</param>
    /// <param name="b">Right-hand sides, N x k.</param>
    /// <param name="n">Rows.</param>
    /// <param name="k">Columns.</param>
    /// <param name="options">Tolerance, iteration limit, progress.</param>
    /// <param name="x0">Starting point (default zero).</param>
    /// <param name="r0">B − A x0 when the caller already has it (saves a product).</param>
    public static CgResult Solve(Action<double[], double[]> apply, Action<double[], double[]>? precondition, ReadOnlySpan<double> b, int n, int k,
        CgOptions? options = null, double[]? x0 = null, double[]? r0 = null)
    {
        ArgumentNullException.ThrowIfNull(apply);
        options ??= new CgOptions();
        int size = checked(n * k);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var x = x0 is null ? new double[size] : (double[])x0.Clone();
        var r = new double[size];
        var q = new double[size];
        if (r0 is not null) r0.AsSpan(0, size).CopyTo(r);
        else if (x0 is null) b[..size].CopyTo(r);
        else
        {
            apply(x, q);
            for (int i = 0; i < size; i++) r[i] = b[i] - q[i];
        }

        var bNorm = ColumnNorms(b[..size].ToArray(), n, k);
        for (int j = 0; j < k; j++) if (bNorm[j] == 0) bNorm[j] = 1; // a zero column is solved by zero: its residual stays 0
        var z = precondition is null ? r : new double[size];
        if (precondition is not null) precondition(r, z);
        var p = (double[])z.Clone();
        var rz = ColumnDots(r, z, n, k);
        var residual = Relative(ColumnNorms(r, n, k), bNorm);
        var history = new List<double> { residual.Max() };
        var active = residual.Select(v => v > options.Tolerance).ToArray();
        int iteration = 0;
        var alpha = new double[k];
        var beta = new double[k];
        while (active.Any(a => a) && iteration < options.MaxIterations)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            apply(p, q);
            iteration++;
            var pq = ColumnDots(p, q, n, k);
            for (int j = 0; j < k; j++)
            {
                // pᵀAp ≤ 0 means A is not positive definite in this direction (or round-off has exhausted it): stop the column.
                alpha[j] = active[j] && pq[j] > 0 ? rz[j] / pq[j] : 0;
                if (active[j] && !(pq[j] > 0)) active[j] = false;
            }
            for (int i = 0; i < n; i++)
                for (int j = 0; j < k; j++)
                {
                    int e = i * k + j;
                    x[e] += alpha[j] * p[e];
                    r[e] -= alpha[j] * q[e];
                }
            residual = Relative(ColumnNorms(r, n, k), bNorm);
            for (int j = 0; j < k; j++) if (residual[j] <= options.Tolerance) active[j] = false;
            history.Add(residual.Max());
            options.OnIteration?.Invoke(new CgIteration(iteration, residual.Max(), clock.Elapsed.TotalSeconds));
            if (!active.Any(a => a)) break;

            if (precondition is not null) precondition(r, z);
            var rzNew = ColumnDots(r, z, n, k);
            for (int j = 0; j < k; j++) beta[j] = active[j] && rz[j] != 0 ? rzNew[j] / rz[j] : 0;
            rz = rzNew;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < k; j++)
                {
                    int e = i * k + j;
                    p[e] = active[j] ? z[e] + beta[j] * p[e] : 0;
                }
        }
        return new CgResult(x, iteration, residual, history, residual.All(v => v <= options.Tolerance));
    }

    /// <summary>‖column j‖₂ of an n x k row-major block.</summary>
    internal static double[] ColumnNorms(double[] a, int n, int k)
    {
        var s = ColumnDots(a, a, n, k);
        for (int j = 0; j < k; j++) s[j] = Math.Sqrt(s[j]);
        return s;
    }

    private static double[] ColumnDots(double[] a, double[] b, int n, int k)
    {
        var s = new double[k];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++) s[j] += a[i * k + j] * b[i * k + j];
        return s;
    }

    private static double[] Relative(double[] norms, double[] reference)
    {
        var v = new double[norms.Length];
        for (int j = 0; j < v.Length; j++) v[j] = norms[j] / reference[j];
        return v;
    }
}
