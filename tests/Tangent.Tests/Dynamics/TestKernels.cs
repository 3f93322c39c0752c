using Tangent.Linalg;

namespace Tangent.Tests.Dynamics;

/// <summary>Seeded random kernels and targets for the dynamics tests.</summary>
public static class TestKernels
{
    /// <summary>
    /// Train-train, test-train and test-test blocks of a kernel k(x, x') = exp(−|x − x'|²/(2d)) + x·x'/d on Gaussian
    /// points (positive definite, eigenvalues spread over a few decades like a real NTK).
    /// </summary>
    public static (Matrix<double> Ktt, Matrix<double> Ktd, Matrix<double> Kss) Blocks(int n, int m, int d, int seed)
    {
        var rng = new Random(seed);
        var x = new double[(n + m) * d];
        for (int i = 0; i < x.Length; i++) x[i] = Normal(rng);
        double K(int a, int b)
        {
            double dist = 0, dot = 0;
            for (int q = 0; q < d; q++)
            {
                double u = x[a * d + q], v = x[b * d + q];
                dist += (u - v) * (u - v);
                dot += u * v;
            }
            return Math.Exp(-dist / (2 * d)) + dot / d;
        }
        var ktt = new Matrix<double>(n, n);
        var ktd = new Matrix<double>(m, n);
        var kss = new Matrix<double>(m, m);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) ktt[i, j] = K(i, j);
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) ktd[i, j] = K(n + i, j);
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) kss[i, j] = K(n + i, n + j);
        return (ktt, ktd, kss);
    }

    public static Matrix<double> Gaussian(int rows, int cols, int seed, double scale = 1)
    {
        var rng = new Random(seed);
        var m = new Matrix<double>(rows, cols);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = scale * Normal(rng);
        return m;
    }

    /// <summary>One-hot rows for random classes.</summary>
    public static Matrix<double> OneHot(int rows, int classes, int seed)
    {
        var rng = new Random(seed);
        var m = new Matrix<double>(rows, classes);
        for (int i = 0; i < rows; i++) m[i, rng.Next(classes)] = 1;
        return m;
    }

    public static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>C = A B (reference triple loop, for checks independent of the backends).</summary>
    public static Matrix<double> Multiply(Matrix<double> a, Matrix<double> b)
    {
        var c = new Matrix<double>(a.Rows, b.Cols);
        for (int i = 0; i < a.Rows; i++)
            for (int k = 0; k < a.Cols; k++)
            {
                double v = a[i, k];
                for (int j = 0; j < b.Cols; j++) c[i, j] += v * b[k, j];
            }
        return c;
    }
}
