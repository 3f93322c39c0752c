using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Solvers;

/// <summary>
/// The randomized Nyström preconditioner of Frangella, Tropp and Udell ("Randomized Nyström preconditioning", SIAM J.
/// Matrix Anal. Appl. 2023), built from a uniform sample of m columns of K (one pass over a tile store):
/// K ≈ K̂ = C W⁺ Cᵀ = U Λ̂ Uᵀ with C = K[:, S], W = K[S, S], and
/// P⁻¹ = (λ̂_min + μ) U (Λ̂ + μI)⁻¹ Uᵀ + (I − U Uᵀ) for K + μI.
/// It maps the top of K's spectrum, which is what slows conjugate gradients on kernel matrices (their eigenvalues decay
/// fast), onto about λ̂_min + μ, so CG converges at the rate of the spectrum's tail. Memory: U, N x m.
/// </summary>
public sealed class NystromPreconditioner
{
    /// <summary>Eigenvalues of W below this fraction of the largest are dropped (W⁺ is the pseudo-inverse on the rest).</summary>
    private const double RelativeCutoff = 1e-10;

    private readonly double[] _u;          // leading N x r: orthonormal columns
    private readonly double[] _scale;      // per component: (λ̂_min + μ)/(λ̂_i + μ) − 1
    private readonly int _n;

    private NystromPreconditioner(double[] u, int n, double[] eigenvalues, double mu)
    {
        _u = u;
        _n = n;
        Eigenvalues = eigenvalues;
        Shift = mu;
        double floor = eigenvalues[^1] + mu;
        _scale = eigenvalues.Select(l => floor / (l + mu) - 1).ToArray();
    }

    /// <summary>Components kept (at most the sample size).</summary>
    public int Rank => Eigenvalues.Length;

    /// <summary>Eigenvalues λ̂ of the Nyström approximation, descending.</summary>
    public double[] Eigenvalues { get; }

    /// <summary>The ridge μ the preconditioner was built for.</summary>
    public double Shift { get; }

    /// <summary>Bytes a preconditioner of sample size <paramref name="m"/> for <paramref name="n"/> points needs while being built (its peak).</summary>
    public static long BuildBytes(int n, int m) => 8L * ((long)n * m + 2048L * m + 4L * m * m);

    /// <summary>Builds the preconditioner of K + <paramref name="mu"/> I from <paramref name="sampleSize"/> columns sampled with <paramref name="seed"/>.</summary>
    /// <exception cref="KernelRequestException">K's sampled block is zero or not finite.</exception>
    public static NystromPreconditioner Build(ITrainingKernel kernel, int sampleSize, double mu, int seed = 0, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        int n = kernel.Rows;
        int m = Math.Clamp(sampleSize, 1, n);
        int[] sample = Sample(n, m, seed);
        var la = LinearAlgebra.Current;

        // C = K[:, S] (N x m): the one pass over the kernel.
        var c = GC.AllocateUninitializedArray<double>(checked(n * m));
        kernel.Columns(sample, c, cancellation);

        // W = K[S, S] = Q Σ Qᵀ; keep the components above the cutoff: K̂ = (C Q Σ^-1/2)(C Q Σ^-1/2)ᵀ = B Bᵀ.
        var w = new double[m * m];
        for (int s = 0; s < m; s++) c.AsSpan(sample[s] * m, m).CopyTo(w.AsSpan(s * m, m));
        var sigma = new double[m];
        la.SymmetricEigen(m, w, sigma);
        double top = sigma[^1];
        if (!(top > 0) || !double.IsFinite(top))
            throw new KernelRequestException($"the sampled {m} x {m} block of the kernel has no positive eigenvalue (largest {top}); the kernel is zero or not finite");
        int keep = sigma.Count(s => s > RelativeCutoff * top);
        var map = new double[m * keep];       // Q_k Σ_k^-1/2, columns in descending order of σ
        for (int j = 0; j < keep; j++)
        {
            int src = m - 1 - j;
            double f = 1 / Math.Sqrt(sigma[src]);
            for (int i = 0; i < m; i++) map[i * keep + j] = w[i * m + src] * f;
        }
        RightMultiplyInPlace(c, n, m, map, keep);      // c now holds B, N x keep
        cancellation.ThrowIfCancellationRequested();

        // Thin SVD of B through its Gram matrix: BᵀB = V diag(s²) Vᵀ, U = B V diag(1/s), Λ̂ = s².
        var gram = new double[keep * keep];
        la.GemmTN(keep, keep, n, 1.0, c.AsSpan(0, n * keep), c.AsSpan(0, n * keep), 0.0, gram);
        var s2 = new double[keep];
        la.SymmetricEigen(keep, gram, s2);
        double s2Top = s2[^1];
        int rank = s2.Count(v => v > RelativeCutoff * s2Top);
        var v = new double[keep * rank];
        var lambda = new double[rank];
        for (int j = 0; j < rank; j++)
        {
            int src = keep - 1 - j;
            lambda[j] = s2[src];
            double f = 1 / Math.Sqrt(s2[src]);
            for (int i = 0; i < keep; i++) v[i * rank + j] = gram[i * keep + src] * f;
        }
        RightMultiplyInPlace(c, n, keep, v, rank);     // c now starts with U, N x rank (no copy: it may be most of the budget)
        return new NystromPreconditioner(c, n, lambda, mu);
    }

    /// <summary><paramref name="z"/> = P⁻¹ <paramref name="r"/> for a block of k vectors (N x k, row-major).</summary>
    public void Apply(ReadOnlySpan<double> r, int k, Span<double> z)
    {
        int rank = Rank;
        var la = LinearAlgebra.Current;
        var projected = new double[rank * k];                       // Uᵀ r
        la.GemmTN(rank, k, _n, 1.0, _u.AsSpan(0, _n * rank), r[..(_n * k)], 0.0, projected);
        for (int j = 0; j < rank; j++)
            for (int q = 0; q < k; q++) projected[j * k + q] *= _scale[j];
        r[..(_n * k)].CopyTo(z);
        la.GemmNN(_n, k, rank, 1.0, _u.AsSpan(0, _n * rank), projected, 1.0, z[..(_n * k)]); // r + U diag(scale) Uᵀ r
    }

    /// <summary>m distinct indices of 0..n-1, uniformly at random, sorted; the same for the same seed.</summary>
    internal static int[] Sample(int n, int m, int seed)
    {
        var rng = new Random(seed);
        var pool = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < m; i++)
        {
            int j = i + rng.Next(n - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        var sample = pool[..m];
        Array.Sort(sample);
        return sample;
    }

    /// <summary>
    /// a (n x m, row-major) ← a · b (b is m x r, r ≤ m), result stored n x r at the start of a. Done in blocks of rows
    /// through a small buffer, so the N x m sample never needs a second N-row copy: a block's result only overwrites
    /// rows that block has already consumed.
    /// </summary>
    private static void RightMultiplyInPlace(double[] a, int n, int m, double[] b, int r)
    {
        const int block = 2048;
        var buffer = new double[block * r];
        var la = LinearAlgebra.Current;
        for (int i0 = 0; i0 < n; i0 += block)
        {
            int rows = Math.Min(block, n - i0);
            la.GemmNN(rows, r, m, 1.0, a.AsSpan(i0 * m, rows * m), b, 0.0, buffer.AsSpan(0, rows * r));
            buffer.AsSpan(0, rows * r).CopyTo(a.AsSpan(i0 * r, rows * r));
        }
    }
}
