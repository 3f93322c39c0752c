using Tangent.Dynamics;
using Tangent.Linalg;

namespace Tangent.Spectra;

/// <summary>
/// The eigenvalues and eigenvectors of a kernel matrix, largest first, and the scalar summaries of the spectrum: trace,
/// condition number, effective ranks. Mode k (0-based) is the k-th largest eigenvalue.
/// </summary>
public sealed class KernelSpectrum
{
    private readonly double[] _descending;

    private KernelSpectrum(KernelEigenbasis basis)
    {
        Basis = basis;
        _descending = basis.Eigenvalues.ToArray();
        Array.Reverse(_descending);
    }

    /// <summary>Diagonalises <paramref name="kernel"/> (symmetric, positive semi-definite up to rounding).</summary>
    /// <exception cref="Kernels.KernelRequestException">The kernel is not square, symmetric, finite and PSD.</exception>
    public static KernelSpectrum Compute(Matrix<double> kernel) => new(KernelEigenbasis.Compute(kernel, "the kernel"));

    /// <summary>Wraps an existing eigendecomposition (for example a <see cref="GradientDescentMse"/>'s), without copying vectors.</summary>
    public static KernelSpectrum FromEigenbasis(KernelEigenbasis basis) => new(basis ?? throw new ArgumentNullException(nameof(basis)));

    /// <summary>The underlying ascending eigendecomposition.</summary>
    public KernelEigenbasis Basis { get; }

    /// <summary>Matrix size N.</summary>
    public int Size => _descending.Length;

    /// <summary>Eigenvalues, largest first.</summary>
    public ReadOnlySpan<double> Eigenvalues => _descending;

    /// <summary>Component <paramref name="i"/> of the eigenvector of mode <paramref name="mode"/> (largest first).</summary>
    public double Eigenvector(int i, int mode) => Basis.Vectors[i, Size - 1 - mode];

    /// <summary>The largest eigenvalue.</summary>
    public double Largest => _descending[0];

    /// <summary>The smallest eigenvalue (may be a rounding-level negative number for a singular kernel).</summary>
    public double Smallest => _descending[^1];

    /// <summary>Σ λ = trace K.</summary>
    public double Trace => _descending.Sum();

    /// <summary>λ_max / λ_min; infinity when λ_min ≤ 0.</summary>
    public double ConditionNumber => Smallest > 0 ? Largest / Smallest : double.PositiveInfinity;

    /// <summary>
    /// Participation ratio (Σ λ)² / Σ λ²: the number of equal eigenvalues that would give the same spread; between 1
    /// (one dominant mode) and N (flat spectrum).
    /// </summary>
    public double ParticipationRatio
    {
        get
        {
            double sum = 0, squares = 0;
            foreach (double l in _descending) { double v = Math.Max(l, 0); sum += v; squares += v * v; }
            return squares == 0 ? 0 : sum * sum / squares;
        }
    }

    /// <summary>
    /// Entropy effective rank exp(−Σ p_k log p_k) with p = λ / Σ λ (Roy and Vetterli 2007); rounding-level negative
    /// eigenvalues count as zero.
    /// </summary>
    public double EntropyEffectiveRank
    {
        get
        {
            double sum = 0;
            foreach (double l in _descending) sum += Math.Max(l, 0);
            if (sum == 0) return 0;
            double entropy = 0;
            foreach (double l in _descending)
            {
                double p = Math.Max(l, 0) / sum;
                if (p > 0) entropy -= p * Math.Log(p);
            }
            return Math.Exp(entropy);
        }
    }

    /// <summary>The coefficients Vᵀ Y of the columns of <paramref name="y"/> (N x O) on each mode: row k is mode k (largest first).</summary>
    public Matrix<double> Project(Matrix<double> y)
    {
        var ascending = Basis.ToEigenbasis(y);
        var result = new Matrix<double>(Size, y.Cols);
        for (int k = 0; k < Size; k++) ascending.Row(Size - 1 - k).CopyTo(result.Row(k));
        return result;
    }
}
