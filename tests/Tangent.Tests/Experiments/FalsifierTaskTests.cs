using Tangent.Experiments;
using Tangent.IO;
using Tangent.Linalg;

namespace Tangent.Tests.Experiments;

/// <summary>The built-in tasks draw what they say, reproducibly; unknown tasks and stray parameters are refused; measures are right.</summary>
public class FalsifierTaskTests
{
    [Fact]
    public void SparseParityTargetIsTheProductOfItsSupport()
    {
        var task = new SparseParityTask(dim: 10, k: 3);
        var data = task.Sample(50, 20, seed: 4);
        var support = task.Support(4);
        Assert.Equal(3, support.Distinct().Count());
        foreach (var (x, y) in new[] { (data.XTrain, data.YTrain), (data.XTest, data.YTest) })
            for (int i = 0; i < x.Rows; i++)
            {
                Assert.All(x.Row(i).ToArray(), v => Assert.True(v is 1 or -1));
                Assert.Equal(support.Aggregate(1.0, (p, j) => p * x[i, j]), y[i, 0]);
            }
        Assert.Equal(data.XTrain.Data, task.Sample(50, 20, 4).XTrain.Data);
        Assert.NotEqual(data.XTrain.Data, task.Sample(50, 20, 5).XTrain.Data);
    }

    [Fact]
    public void TeacherPolyDegreeOneIsLinearOnTheSphere()
    {
        var task = new TeacherPolyTask(dim: 6, degree: 1, noise: 0);
        var data = task.Sample(40, 10, seed: 1);
        // Radius √d, and y = ⟨u, x⟩ for one unit u: the least-squares fit through the origin is exact.
        for (int i = 0; i < 40; i++) Assert.Equal(6, data.XTrain.Row(i).ToArray().Sum(v => v * v), 9);
        var (xtx, xty) = (new double[6, 6], new double[6]);
        for (int i = 0; i < 40; i++)
            for (int a = 0; a < 6; a++)
            {
                xty[a] += data.XTrain[i, a] * data.YTrain[i, 0];
                for (int b = 0; b < 6; b++) xtx[a, b] += data.XTrain[i, a] * data.XTrain[i, b];
            }
        var u = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(xtx).Solve(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(xty));
        Assert.Equal(1, u.L2Norm(), 9);
        for (int i = 0; i < 40; i++) Assert.Equal(data.YTrain[i, 0], Enumerable.Range(0, 6).Sum(a => u[a] * data.XTrain[i, a]), 9);
    }

    [Fact]
    public void HermitePolynomials()
    {
        foreach (double z in new[] { -1.7, 0.3, 2.2 })
        {
            Assert.Equal(z * z - 1, TeacherPolyTask.Hermite(2, z), 12);
            Assert.Equal(z * z * z - 3 * z, TeacherPolyTask.Hermite(3, z), 12);
            Assert.Equal(z * z * z * z - 6 * z * z + 3, TeacherPolyTask.Hermite(4, z), 12);
        }
    }

    [Fact]
    public void SpectralBiasMeasuresEachFrequency()
    {
        var task = new SpectralBiasTask([1, 3, 5], noise: 0);
        var data = task.Sample(10, 64, seed: 2);
        var angles = data.TestAngles!;
        Assert.Equal([1.0, 1.0, 1.0], Measures.CapturedPerFrequency(data.YTest, data.YTest, angles, task.Frequencies!), new Tolerance(1e-12));
        Assert.Equal([0.0, 0.0, 0.0], Measures.CapturedPerFrequency(new Matrix<double>(64, 1), data.YTest, angles, task.Frequencies!), new Tolerance(1e-12));
        // A prediction with only the lowest component (the projection of y on cos θ, sin θ over the grid): frequency 1
        // learned, the others not.
        var low = new Matrix<double>(64, 1);
        double c = 0, s = 0;
        for (int i = 0; i < 64; i++) { c += data.YTest[i, 0] * Math.Cos(angles[i]) / 32; s += data.YTest[i, 0] * Math.Sin(angles[i]) / 32; }
        for (int i = 0; i < 64; i++) low[i, 0] = c * Math.Cos(angles[i]) + s * Math.Sin(angles[i]);
        Assert.Equal([1.0, 0.0, 0.0], Measures.CapturedPerFrequency(low, data.YTest, angles, task.Frequencies!), new Tolerance(1e-9));
    }

    private sealed class Tolerance(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= eps;
        public int GetHashCode(double v) => 0;
    }

    [Fact]
    public void AccuracyAndRelativeMse()
    {
        var y = new Matrix<double>(4, 1, [1, -1, 1, -1]);
        Assert.Equal(0.75, Measures.Accuracy(new Matrix<double>(4, 1, [0.3, -2, -0.1, -0.5]), y, TargetKind.Sign));
        var onehot = new Matrix<double>(2, 3, [0, 1, 0, 1, 0, 0]);
        Assert.Equal(0.5, Measures.Accuracy(new Matrix<double>(2, 3, [0.1, 0.5, 0.2, 0.1, 0.5, 0.2]), onehot, TargetKind.Classes));
        var t = new Matrix<double>(4, 1, [1, 2, 3, 4]);
        Assert.Equal(1, Measures.RelativeMse(new Matrix<double>(4, 1, [2.5, 2.5, 2.5, 2.5]), t), 12);
        Assert.Equal(0, Measures.RelativeMse(t, t));
        Assert.Throws<ExperimentException>(() => Measures.Accuracy(t, t, TargetKind.Regression));
    }

    [Theory]
    [InlineData("no-such-task", "unknown task 'no-such-task'")]
    [InlineData("missing/file.npy", "no such data file")]
    public void UnknownTasksAreRefused(string name, string expected) =>
        Assert.Contains(expected, Assert.Throws<ExperimentException>(() => BuiltInTasks.Create(new TaskSpec { Name = name })).Message);

    [Fact]
    public void StrayParametersAreRefused()
    {
        Assert.Contains("does not take degree", Assert.Throws<ExperimentException>(() => BuiltInTasks.Create(new TaskSpec { Name = "sparse-parity", Degree = 2 })).Message);
        Assert.Contains("k must not exceed dim", Assert.Throws<ExperimentException>(() => BuiltInTasks.Create(new TaskSpec { Name = "sparse-parity", Dim = 3, K = 4 })).Message);
    }

    [Fact]
    public void CsvFileTaskTakesTheLastColumnAsClasses()
    {
        string path = Path.Combine(Path.GetTempPath(), "tangent-task-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            File.WriteAllLines(path, Enumerable.Range(0, 30).Select(i => $"{i * 0.1},{Math.Sin(i)},{i % 3}"));
            var task = BuiltInTasks.Create(new TaskSpec { Name = path });
            Assert.Equal(TargetKind.Classes, task.Targets);
            Assert.Equal(3, task.Outputs);
            Assert.Equal(2, task.InputShape.Channels);
            var data = task.Sample(20, 10, 0);
            Assert.Equal((20, 10), (data.XTrain.Rows, data.XTest.Rows));
            Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(1, data.YTrain.Row(i).ToArray().Sum()));
            Assert.Contains("has 30 examples", Assert.Throws<ExperimentException>(() => task.CheckSize(25, 10)).Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void DigitsArePooledWithoutOverlap()
    {
        var task = BuiltInTasks.Create(new TaskSpec { Name = "digits" });
        var data = task.Sample(100, 50, 3);
        var train = Enumerable.Range(0, 100).Select(i => string.Join(',', data.XTrain.Row(i).ToArray())).ToHashSet();
        // Digits has a few duplicate images; the shuffle must still give disjoint index sets, so overlaps stay rare.
        Assert.True(Enumerable.Range(0, 50).Count(i => train.Contains(string.Join(',', data.XTest.Row(i).ToArray()))) <= 2);
        Assert.Equal(TargetKind.Classes, task.Targets);
        Assert.Equal(Digits.Pixels, task.InputShape.Channels);
    }
}
