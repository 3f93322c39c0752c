using System.Numerics;
using System.Runtime.Intrinsics;

namespace Tangent.Linalg;

/// <summary>
/// Cache-blocked, multi-threaded, SIMD matrix product in pure .NET: C = alpha op(A) op(B) + beta C on row-major C.
/// </summary>
/// <remarks>
/// Goto/BLIS structure. For each NC-wide column block of C and each KC-deep slice of the inner dimension, the slice
/// of B (KC x NC) is packed once into NR-wide micro-panels shared by all threads; then Parallel.For runs over MC-row
/// blocks of C, each packing its A block (MC x KC, stays in L2) and sweeping the B micro-panels (each stays in L1
/// while every MR-row A micro-panel passes over it) with the register-blocked <see cref="GemmMicroKernel"/>.
/// Packing B once per slice matters: a packed element costs a few cycles, an FMA a fraction of one, so B must be
/// reused by all m rows. Sums run in a different order from a naive loop, so results agree with one to rounding.
/// </remarks>
internal static unsafe class ManagedGemm
{
    private const int MR = GemmMicroKernel.MR;

    /// <summary>Below this many multiply-adds one thread finishes before a second one would have started.</summary>
    private const long ParallelThreshold = 1 << 21;

    /// <summary>
    /// C (m x n, row-major, leading dimension n) = alpha * A (m x k) * B (k x n) + beta * C.
    /// With <paramref name="upperOnly"/> only micro-tiles touching the upper triangle (j &gt;= i) are computed; the
    /// others keep whatever they held. When beta is zero C is not read.
    /// </summary>
    public static void Multiply<T>(int m, int n, int k, T alpha, StridedOperand<T> a, StridedOperand<T> b, T beta, T* c, bool upperOnly)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0) return;
        if (k == 0 || T.IsZero(alpha))
        {
            Scale(new Span<T>(c, checked(m * n)), beta);
            return;
        }
        if (Vector512.IsHardwareAccelerated) Run<T, Vector512<T>, Simd512<T>>(m, n, k, alpha, a, b, beta, c, upperOnly);
        else if (Vector256.IsHardwareAccelerated) Run<T, Vector256<T>, Simd256<T>>(m, n, k, alpha, a, b, beta, c, upperOnly);
        else Run<T, Vector128<T>, Simd128<T>>(m, n, k, alpha, a, b, beta, c, upperOnly);
    }

    /// <summary>The register width the managed product runs with on this machine, for reports.</summary>
    public static string VectorWidth =>
        Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : "Vector128";

    /// <summary>C = beta C, where beta = 0 overwrites (BLAS semantics: NaN in C does not survive).</summary>
    internal static void Scale<T>(Span<T> c, T beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsZero(beta)) c.Clear();
        else if (beta != T.One) System.Numerics.Tensors.TensorPrimitives.Multiply(c, beta, c);
    }

    private static void Run<T, TVec, TOps>(int m, int n, int k, T alpha, StridedOperand<T> a, StridedOperand<T> b, T beta, T* c, bool upperOnly)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : ISimdOps<T, TVec>
    {
        var s = Blocking.For(TOps.Count, sizeof(T));
        bool parallel = (long)m * n * k >= ParallelThreshold && Environment.ProcessorCount > 1;
        var job = new Job<T>(m, n, alpha, a, b, c, upperOnly, s, SharedB<T>.Get(s));

        for (int jc = 0; jc < n; jc += s.NC)
        {
            int jcEnd = Math.Min(n, jc + s.NC);
            int rowsNeeded = upperOnly ? Math.Min(m, jcEnd) : m;   // rows >= jcEnd lie below the diagonal here
            int rowBlocks = (rowsNeeded + s.MC - 1) / s.MC;
            int panels = (jcEnd - jc + s.NR - 1) / s.NR;
            // Enough tasks to keep every core busy even when C has few rows (a test-by-train kernel block): split the
            // columns too, at the price of packing the same A block once per column chunk.
            int chunks = parallel ? Math.Clamp(2 * Environment.ProcessorCount / rowBlocks, 1, panels) : 1;
            int panelsPerChunk = (panels + chunks - 1) / chunks;
            chunks = (panels + panelsPerChunk - 1) / panelsPerChunk;

            for (int p0 = 0; p0 < k; p0 += s.KC)
            {
                job.Slice(jc, jcEnd, p0, Math.Min(s.KC, k - p0), p0 == 0 ? beta : T.One, panelsPerChunk, chunks);
                int packTasks = (panels + 7) / 8;
                if (parallel && packTasks > 1) Parallel.For(0, packTasks, job.PackB);
                else for (int t = 0; t < packTasks; t++) job.PackB(t);

                int tasks = rowBlocks * chunks;
                if (parallel && tasks > 1) Parallel.For(0, tasks, job.Compute<TVec, TOps>);
                else for (int t = 0; t < tasks; t++) job.Compute<TVec, TOps>(t);
            }
        }
    }

    /// <summary>One product in progress: the operands, the current slice, and the shared packed B.</summary>
    private sealed class Job<T>(int m, int n, T alpha, StridedOperand<T> a, StridedOperand<T> b, T* c, bool upperOnly,
                                Blocking shape, T* bpack) where T : unmanaged, IFloatingPointIeee754<T>
    {
        private int _jc, _jcEnd, _p0, _kc, _panelsPerChunk, _chunks;
        private T _beta;

        public void Slice(int jc, int jcEnd, int p0, int kc, T beta, int panelsPerChunk, int chunks)
        {
            _jc = jc; _jcEnd = jcEnd; _p0 = p0; _kc = kc; _beta = beta;
            _panelsPerChunk = panelsPerChunk; _chunks = chunks;
        }

        /// <summary>Packs B micro-panels [8 t, 8 t + 8) of the current slice.</summary>
        public void PackB(int t)
        {
            int nr = shape.NR;
            int j0 = _jc + 8 * t * nr, j1 = Math.Min(_jcEnd, j0 + 8 * nr);
            GemmPacking.PackB(b, _p0, _kc, j0, j1, bpack + (nint)8 * t * _kc * nr, nr);
        }

        /// <summary>Row block t / chunks, column chunk t % chunks: pack its A block, then run the micro-kernels.</summary>
        public void Compute<TVec, TOps>(int t) where TVec : struct where TOps : ISimdOps<T, TVec>
        {
            int nr = shape.NR, kc = _kc;
            int i0 = t / _chunks * shape.MC, i1 = Math.Min(m, i0 + shape.MC);
            int firstPanel = t % _chunks * _panelsPerChunk;
            int j0 = _jc + firstPanel * nr, j1 = Math.Min(_jcEnd, j0 + _panelsPerChunk * nr);
            if (upperOnly && j1 <= i0) return;                 // the whole task lies below the diagonal

            var scratch = Scratch<T>.Get(shape);
            GemmPacking.PackA(a, i0, i1, _p0, kc, scratch.A, MR);
            nint ldc = n;
            for (int jr = j0; jr < j1; jr += nr)
            {
                int cols = Math.Min(nr, j1 - jr);
                T* bPanel = bpack + (nint)((jr - _jc) / nr) * kc * nr;
                for (int ir = i0; ir < i1; ir += MR)
                {
                    if (upperOnly && jr + nr <= ir) break;     // this and all later micro-tiles are strictly lower
                    int rows = Math.Min(MR, i1 - ir);
                    T* aPanel = scratch.A + (nint)((ir - i0) / MR) * kc * MR;
                    T* cTile = c + ir * ldc + jr;
                    if (rows == MR && cols == nr)
                    {
                        GemmMicroKernel.Run<T, TVec, TOps>(kc, aPanel, bPanel, cTile, ldc, alpha, _beta);
                    }
                    else
                    {
                        // Ragged edge: compute the full padded micro-tile aside, then merge the part that exists.
                        GemmMicroKernel.Run<T, TVec, TOps>(kc, aPanel, bPanel, scratch.Edge, nr, T.One, T.Zero);
                        MergeEdge(scratch.Edge, nr, cTile, ldc, rows, cols, alpha, _beta);
                    }
                }
            }
        }
    }

    private static void MergeEdge<T>(T* edge, int nr, T* c, nint ldc, int rows, int cols, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++)
            {
                ref T cij = ref c[r * ldc + j];
                T v = alpha * edge[r * nr + j];
                cij = T.IsZero(beta) ? v : v + beta * cij;
            }
    }
}
