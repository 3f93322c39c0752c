using System.Numerics.Tensors;

namespace Tangent.Linalg;

/// <summary>
/// Argument checks shared by every backend, so that a bad call fails the same way (and before any native code
/// runs: a BLAS library given a bad size may print to stderr or even stop the process through XERBLA).
/// </summary>
internal static class DenseArgs
{
    public static void Dim(int value, string name)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative");
    }

    /// <summary>Checks that <paramref name="length"/> can hold a rows x cols matrix (products in 64 bits).</summary>
    public static void Holds(int length, int rows, int cols, string name)
    {
        long need = (long)rows * cols;
        if (length < need)
            throw new ArgumentException($"{name} has {length} elements but a {rows}x{cols} matrix needs {need}", name);
    }

    public static void Gemm(int m, int n, int k, int aLen, int bLen, int cLen, bool aTransposed, bool bTransposed)
    {
        Dim(m, nameof(m)); Dim(n, nameof(n)); Dim(k, nameof(k));
        if (aTransposed) Holds(aLen, k, m, "a"); else Holds(aLen, m, k, "a");
        if (bTransposed) Holds(bLen, n, k, "b"); else Holds(bLen, k, n, "b");
        Holds(cLen, m, n, "c");
    }

    public static void Syrk(int n, int k, int aLen, int cLen)
    {
        Dim(n, nameof(n)); Dim(k, nameof(k));
        Holds(aLen, n, k, "a");
        Holds(cLen, n, n, "c");
    }

    public static void Square(int n, int aLen, string name = "a")
    {
        Dim(n, nameof(n));
        Holds(aLen, n, n, name);
    }

    public static void CholeskySolve(int n, int lLen, int nrhs, int bLen)
    {
        Square(n, lLen, "l");
        Dim(nrhs, nameof(nrhs));
        Holds(bLen, n, nrhs, "b");
    }

    public static void Eigen(int n, ReadOnlySpan<double> a, int wLen)
    {
        Square(n, a.Length);
        if (wLen < n) throw new ArgumentException($"w has {wLen} elements but {n} eigenvalues are coming", "w");
        // LAPACK's and MathNet's iterations are not guaranteed to terminate on NaN input; refuse it up front.
        for (int i = 0; i < n; i++)
            if (!TensorPrimitives.IsFiniteAll(a.Slice(i * n + i, n - i)))
                throw new ArgumentException($"the matrix holds NaN or infinity in row {i} of its upper triangle", nameof(a));
    }
}
