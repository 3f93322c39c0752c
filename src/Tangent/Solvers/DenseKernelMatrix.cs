using Tangent.Linalg;

namespace Tangent.Solvers;

/// <summary>A kernel held in memory, for small problems, tests and comparisons with the out-of-core path.</summary>
public sealed class DenseKernelMatrix(Matrix<double> k) : ITrainingKernel
{
    private readonly Matrix<double> _k = k ?? throw new ArgumentNullException(nameof(k));

    /// <inheritdoc/>
    public int Rows => _k.Rows;

    /// <inheritdoc/>
    public int Cols => _k.Cols;

    /// <inheritdoc/>
    public long WorkingBytes => 0;

    /// <inheritdoc/>
    public void Multiply(ReadOnlyMemory<double> x, int k, Memory<double> y, CancellationToken cancellation = default) =>
        LinearAlgebra.Current.GemmNN(Rows, k, Cols, 1.0, _k.Data, x.Span, 0.0, y.Span);

    /// <inheritdoc/>
    public void Diagonal(Memory<double> diagonal, CancellationToken cancellation = default)
    {
        var d = diagonal.Span;
        for (int i = 0; i < Rows; i++) d[i] = _k[i, i];
    }

    /// <inheritdoc/>
    public void Columns(ReadOnlyMemory<int> columns, Memory<double> result, CancellationToken cancellation = default)
    {
        int m = columns.Length;
        var c = columns.Span;
        var r = result.Span;
        for (int i = 0; i < Rows; i++)
            for (int s = 0; s < m; s++) r[i * m + s] = _k[i, c[s]];
    }
}
