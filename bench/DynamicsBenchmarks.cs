using System.Diagnostics;
using Tangent.Dynamics;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;

namespace Tangent.Bench;

/// <summary>
/// The dense algebra behind the closed-form dynamics, each timed on the native and on the managed backend in the same
/// run: the figure's value is the native time, <c>ratio</c> is managed time / native time.
/// </summary>
public static class DynamicsBenchmarks
{
    private const int N = 4000, TestPoints = 1000, Outputs = 10, Times = 16;

    public static IEnumerable<BenchDefinition> All =>
    [
        new("eigh_n4000_f64", "symmetric eigendecomposition (values and vectors) of a 4000x4000 NTK, float64, native vs managed", () => Both("eigh_n4000_f64", Eigen)),
        new("cholesky_solve_n4000_f64", "Cholesky factorisation of a 4000x4000 NTK and a solve with 10 right-hand sides, native vs managed", () => Both("cholesky_solve_n4000_f64", CholeskySolve)),
        new("predict_n4000_t16", "gradient-flow predictions, N=4000 train, 1000 test, 10 outputs, 16 times incl. infinity, from scratch (eigendecomposition + Cholesky), native vs managed", () => Both("predict_n4000_t16", Predict)),
    ];

    // One prepared problem, timed by a function of (kernel, test kernel, targets) that returns seconds for one run.
    private delegate double Run(Problem problem);

    private sealed record Problem(Matrix<double> K, Matrix<double> KTest, Matrix<double> Y);

    private static BenchFigure Both(string name, Run run)
    {
        var problem = MakeProblem(N);
        var warm = MakeProblem(200);
        var details = new Dictionary<string, object> { ["n"] = N };
        double? native = null;
        if (LinearAlgebra.Native is not null)
        {
            using (LinearAlgebra.Use(BackendKind.Native))
            {
                run(warm);
                native = Enumerable.Range(0, 3).Min(_ => run(problem));
                details["native_seconds"] = native.Value;
                details["native_backend"] = LinearAlgebra.Current.Name;
            }
        }
        else
        {
            details["native_backend"] = "unavailable: " + LinearAlgebra.NativeLoadError;
        }
        using (LinearAlgebra.Use(BackendKind.Managed))
        {
            // The managed path takes minutes at this size: one timed run after a small warm-up (JIT).
            run(warm);
            double managed = run(problem);
            details["managed_seconds"] = managed;
            details["managed_backend"] = LinearAlgebra.Current.Name;
            if (native is { } nat) details["ratio"] = managed / nat;
            details["threads"] = Environment.ProcessorCount;
            return new BenchFigure(name, native ?? managed, "s", details);
        }
    }

    private static double Eigen(Problem p)
    {
        int n = p.K.Rows;
        var a = (double[])p.K.Data.Clone();
        var w = new double[n];
        GC.Collect();
        var clock = Stopwatch.StartNew();
        LinearAlgebra.Current.SymmetricEigen(n, a, w);
        return clock.Elapsed.TotalSeconds;
    }

    private static double CholeskySolve(Problem p)
    {
        int n = p.K.Rows;
        var l = (double[])p.K.Data.Clone();
        var b = (double[])p.Y.Data.Clone();
        GC.Collect();
        var clock = Stopwatch.StartNew();
        if (!LinearAlgebra.Current.TryCholesky(n, l)) throw new InvalidOperationException("benchmark kernel not positive definite");
        LinearAlgebra.Current.CholeskySolve(n, l, p.Y.Cols, b);
        return clock.Elapsed.TotalSeconds;
    }

    private static double Predict(Problem p)
    {
        var times = Enumerable.Range(0, Times - 1).Select(j => Math.Pow(10, -1 + 6.0 * j / (Times - 2))).Append(double.PositiveInfinity).ToArray();
        GC.Collect();
        var clock = Stopwatch.StartNew();
        var predictor = new GradientDescentMse(p.K, p.Y, 1.0);
        var result = predictor.Predict(TrainingTimes.Continuous(times), null, p.KTest);
        double seconds = clock.Elapsed.TotalSeconds;
        if (result.Test!.Data.Length != Times * p.KTest.Rows * Outputs) throw new InvalidOperationException("unexpected prediction shape");
        return seconds;
    }

    // The NTK of a depth-3 ReLU network on Gaussian points: a real kernel's spectrum (one large eigenvalue, a power-law
    // tail), positive definite.
    private static Problem MakeProblem(int n)
    {
        var arch = Architecture.Parse("dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense");
        var rng = new Random(7);
        int d = 100, m = n / 4;
        var x = new Matrix<double>(n + m, d);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = KernelBenchmarks.Normal(rng);
        var k = AnalyticKernel.Compute(arch, x).Ntk!;
        var train = new Matrix<double>(n, n);
        var test = new Matrix<double>(m, n);
        for (int i = 0; i < n; i++) k.Row(i)[..n].CopyTo(train.Row(i));
        for (int i = 0; i < m; i++) k.Row(n + i)[..n].CopyTo(test.Row(i));
        var y = new Matrix<double>(n, Outputs);
        for (int i = 0; i < y.Data.Length; i++) y.Data[i] = KernelBenchmarks.Normal(rng);
        return new Problem(train, test, y);
    }
}
