using Tangent.Dynamics;
using Tangent.Kernels;
using Tangent.Linalg;
using Tangent.Sharding;
using Tangent.Solvers;
using Tangent.Tests.IO;

namespace Tangent.Tests.Sharding;

/// <summary>Out-of-core products, the Nyström preconditioner and conjugate gradients, against in-memory linear algebra.</summary>
public class OutOfCoreSolveTests
{
    private static (TileStore Store, Matrix<double> K, Matrix<double> X) TrainStore(TempDir dir, int n = 240, int tile = 50, bool f32 = false, string name = "train")
    {
        var x = StoreFixtures.Points(n, 9, seed: 21);
        var store = StoreFixtures.Build(dir.File(name), StoreFixtures.FlatJob(x, tile, f32: f32), shards: 3);
        return (store, StoreMerger.ReadDense(store), x);
    }

    private static Matrix<double> Targets(Matrix<double> x, int outputs = 2)
    {
        var y = new Matrix<double>(x.Rows, outputs);
        for (int i = 0; i < x.Rows; i++)
            for (int o = 0; o < outputs; o++) y[i, o] = Math.Sin(x[i, o] + o) + 0.1 * x[i, 2];
        return y;
    }

    [Fact]
    public void Store_products_diagonal_and_columns_match_the_dense_kernel()
    {
        using var dir = new TempDir();
        var (store, k, _) = TrainStore(dir);
        var op = new StoreTrainingKernel(store);
        var dense = new DenseKernelMatrix(k);
        int n = k.Rows;
        var v = Enumerable.Range(0, n * 3).Select(i => Math.Cos(i * 0.37)).ToArray();
        var a = new double[n * 3];
        var b = new double[n * 3];
        op.Multiply(v, 3, a);
        dense.Multiply(v, 3, b);
        double scale = b.Max(Math.Abs);
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-12 * scale, $"product entry {i}: {a[i]} vs {b[i]}");

        var d1 = new double[n];
        op.Diagonal(d1);
        for (int i = 0; i < n; i++) Assert.Equal(k[i, i], d1[i]);

        // Columns from every tile row and column, including those reached only through transposed tiles.
        int[] cols = [0, 1, 49, 50, 99, 123, 200, 239];
        var c1 = new double[n * cols.Length];
        var c2 = new double[n * cols.Length];
        op.Columns(cols, c1);
        dense.Columns(cols, c2);
        TileDeterminismTests.AssertBits(c2, c1);
        Assert.Equal(2, op.Passes);
    }

    [Fact]
    public void Out_of_core_predictions_agree_with_the_cholesky_solve_within_the_bound_the_tolerance_implies()
    {
        using var dir = new TempDir();
        var (store, k, x) = TrainStore(dir);
        var xTest = StoreFixtures.Points(37, 9, seed: 22);
        var testStore = StoreFixtures.Build(dir.File("test"), StoreFixtures.FlatJob(xTest, 16, x2: x), shards: 2);
        var y = Targets(x);
        const double diagReg = 1e-3, tol = 1e-9;

        var solution = OutOfCoreRegression.Fit(new StoreTrainingKernel(store), y, new RegressionOptions { DiagonalRegularization = diagReg, Tolerance = tol, PreconditionerSize = 60 });
        Assert.True(solution.Converged);
        Assert.True(solution.Residual <= tol);
        var predicted = OutOfCoreRegression.Predict(new StoreKernelMatrix(testStore), solution.Alpha);
        var expected = KernelRegression.Predict(k, y, StoreMerger.ReadDense(testStore), diagReg);

        // ‖α − α*‖ / ‖α*‖ ≤ κ(K + λI) · residual: the bound the stated tolerance gives, with κ from the spectrum.
        var w = new double[k.Rows];
        LinearAlgebra.Current.SymmetricEigen(k.Rows, (double[])k.Data.Clone(), w);
        double kappa = (w[^1] + solution.Ridge) / (w[0] + solution.Ridge);
        double bound = kappa * solution.Residual;
        var alpha = (double[])y.Data.Clone();
        var factor = (double[])k.Data.Clone();
        for (int i = 0; i < k.Rows; i++) factor[i * k.Rows + i] += solution.Ridge;
        Assert.True(LinearAlgebra.Current.TryCholesky(k.Rows, factor));
        LinearAlgebra.Current.CholeskySolve(k.Rows, factor, y.Cols, alpha);
        Assert.True(RelativeDifference(alpha, solution.Alpha.Data) <= bound, $"α off by {RelativeDifference(alpha, solution.Alpha.Data):E2}, bound {bound:E2}");
        // Predictions are K(X*, X) α, so their error is at most ‖K(X*, X)‖ ‖δα‖; relative to the largest prediction here.
        Assert.True(RelativeDifference(expected.Data, predicted.Data) <= bound, $"predictions off by {RelativeDifference(expected.Data, predicted.Data):E2}");
    }

    [Fact]
    public void The_nystrom_preconditioner_cuts_iterations_and_is_exact_with_every_column()
    {
        using var dir = new TempDir();
        var (store, _, x) = TrainStore(dir, n: 160, tile: 80);
        var y = Targets(x, 1);
        int Iterations(int? m) => OutOfCoreRegression.Fit(new StoreTrainingKernel(store), y,
            new RegressionOptions { DiagonalRegularization = 1e-4, Tolerance = 1e-7, PreconditionerSize = m, MaxIterations = 1000 }).Iterations;
        int plain = Iterations(0), some = Iterations(80), all = Iterations(160);
        Assert.True(some < plain / 2, $"plain CG {plain} iterations, Nyström with 80 columns {some}");
        Assert.True(all <= 3, $"with every column the preconditioner is (K + λI)⁻¹ up to rounding, yet {all} iterations");
    }

    [Fact]
    public void Float32_stores_solve_in_float64()
    {
        using var dir = new TempDir();
        var (store, k, x) = TrainStore(dir, n: 120, tile: 60, f32: true);
        var y = Targets(x);
        var s = OutOfCoreRegression.Fit(new StoreTrainingKernel(store), y, new RegressionOptions { DiagonalRegularization = 1e-3, Tolerance = 1e-8, PreconditionerSize = 30 });
        var expected = KernelRegression.Predict(k, y, k, 1e-3);
        Assert.True(s.Converged);
        Assert.True(RelativeDifference(expected.Data, s.TrainPredictions.Data) < 1e-5);
    }

    [Fact]
    public void Memory_limits_shrink_the_preconditioner_or_refuse_before_any_work()
    {
        using var dir = new TempDir();
        var (store, _, x) = TrainStore(dir);
        var y = Targets(x);
        var lines = new List<string>();
        long working = new StoreTrainingKernel(store).WorkingBytes;
        long limit = working + (64L << 20) + 8L * 8 * 240 * 2 + NystromPreconditioner.BuildBytes(240, 100);
        var s = OutOfCoreRegression.Fit(new StoreTrainingKernel(store), y, new RegressionOptions { MemoryLimitBytes = limit, DiagonalRegularization = 1e-3, Log = lines.Add });
        Assert.InRange(s.SampleSize, 1, 100);
        Assert.Contains(lines, l => l.Contains("instead of 240 to stay within the memory limit"));

        var e = Assert.Throws<KernelRequestException>(() => OutOfCoreRegression.Fit(new StoreTrainingKernel(store), y, new RegressionOptions { MemoryLimitBytes = 1 << 20 }));
        Assert.Contains("the out-of-core solve needs at least", e.Message);
        var asked = Assert.Throws<KernelRequestException>(() => OutOfCoreRegression.Fit(new StoreTrainingKernel(store), y, new RegressionOptions { MemoryLimitBytes = limit, PreconditionerSize = 240 }));
        Assert.Contains("ask for at most", asked.Message);
    }

    [Fact]
    public void Stopping_early_reports_the_true_residual_as_not_converged()
    {
        using var dir = new TempDir();
        var (store, _, x) = TrainStore(dir);
        var s = OutOfCoreRegression.Fit(new StoreTrainingKernel(store), Targets(x), new RegressionOptions { PreconditionerSize = 0, MaxIterations = 2, Tolerance = 1e-10 });
        Assert.False(s.Converged);
        Assert.Equal(2, s.Iterations);
        Assert.True(s.Residual > 1e-10);
    }

    private static double RelativeDifference(double[] expected, double[] actual)
    {
        double worst = 0, scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        return worst / scale;
    }
}
