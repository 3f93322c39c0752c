namespace Tangent.Solvers;

/// <summary>
/// A kernel matrix that can be multiplied by a block of vectors without being held in memory: the one operation
/// predictions need (K(X*, X) α). Blocks are row-major: a block of k vectors of length n is n x k.
/// </summary>
public interface IKernelMatrix
{
    /// <summary>Rows.</summary>
    int Rows { get; }

    /// <summary>Columns.</summary>
    int Cols { get; }

    /// <summary>Bytes the matrix holds while multiplying beyond its inputs and outputs (read buffers), for memory planning.</summary>
    long WorkingBytes { get; }

    /// <summary><paramref name="y"/> (Rows x k) = K <paramref name="x"/> (Cols x k).</summary>
    void Multiply(ReadOnlyMemory<double> x, int k, Memory<double> y, CancellationToken cancellation = default);
}

/// <summary>
/// A symmetric positive semi-definite training kernel K(X, X): multiplication, its diagonal, and a subset of its
/// columns (what a Nyström preconditioner samples).
/// </summary>
public interface ITrainingKernel : IKernelMatrix
{
    /// <summary>The diagonal, length Rows.</summary>
    void Diagonal(Memory<double> diagonal, CancellationToken cancellation = default);

    /// <summary>
    /// Columns <paramref name="columns"/> (strictly increasing) as a Rows x m row-major block:
    /// <c>result[i * m + s] = K[i, columns[s]]</c>.
    /// </summary>
    void Columns(ReadOnlyMemory<int> columns, Memory<double> result, CancellationToken cancellation = default);
}
