using System.Numerics;
using Tangent.Linalg;

namespace Tangent.Empirical;

/// <summary>
/// An empirical kernel: [N1, N2] (output-traced) or [N1, N2, O, O] (full), row-major in <see cref="Data"/>.
/// </summary>
public sealed class EmpiricalKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Wraps <paramref name="data"/> of shape [n1, n2] or [n1, n2, outputs, outputs].</summary>
    public EmpiricalKernel(int n1, int n2, int outputs, bool full, T[] data)
    {
        if (data.Length != (long)n1 * n2 * (full ? outputs * outputs : 1)) throw new ArgumentException("kernel data has the wrong length", nameof(data));
        N1 = n1; N2 = n2; Outputs = outputs; Full = full; Data = data;
    }

    /// <summary>Rows (examples of x1).</summary>
    public int N1 { get; }
    /// <summary>Columns (examples of x2).</summary>
    public int N2 { get; }
    /// <summary>O: network outputs.</summary>
    public int Outputs { get; }
    /// <summary>Whether the output axes are kept ([N1, N2, O, O]).</summary>
    public bool Full { get; }
    /// <summary>The values, row-major.</summary>
    public T[] Data { get; }
    /// <summary>The array shape.</summary>
    public int[] Shape => Full ? [N1, N2, Outputs, Outputs] : [N1, N2];

    /// <summary>The output-traced kernel (the mean over o of K[:, :, o, o] if full), as a matrix.</summary>
    public Matrix<T> Traced()
    {
        if (!Full) return new Matrix<T>(N1, N2, (T[])Data.Clone());
        var m = new Matrix<T>(N1, N2);
        T inv = T.One / T.CreateTruncating(Outputs);
        int o2 = Outputs * Outputs;
        for (int i = 0; i < N1 * N2; i++)
        {
            T sum = T.Zero;
            for (int o = 0; o < Outputs; o++) sum += Data[i * o2 + o * Outputs + o];
            m.Data[i] = sum * inv;
        }
        return m;
    }
}
