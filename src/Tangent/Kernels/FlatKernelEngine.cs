using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Kernels;

/// <summary>
/// Evaluates the analytic NNGP and NTK of a fully connected architecture on flat inputs. The input Gram matrix comes
/// from BLAS (SYRK for one set, GEMM for two) straight into the NNGP output; the layer recursion then runs in place,
/// tile by tile (one thread per tile, all layers over a tile while it sits in cache), so memory is the result only.
/// For one set, only the upper triangle of tiles is computed and mirrored, and the diagonal is recomputed exactly at
/// correlation 1 (arccos is ill-conditioned there).
/// </summary>
internal static class FlatKernelEngine
{
    public static KernelResult<T> Compute<T>(Architecture arch, Matrix<T> x1, Matrix<T>? x2, KernelOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = x1.Cols;
        if (x2 is not null && x2.Cols != d)
            throw new KernelRequestException($"x1 has {d} features per example but x2 has {x2.Cols}; they must match");
        if (d == 0) throw new KernelRequestException("inputs have no features");
        var op = arch.BindFlatKernel(TensorShape.Flat(d));
        bool symmetric = x2 is null;
        var y = x2 ?? x1;
        int n1 = x1.Rows, n2 = y.Rows;
        int elementSize = typeof(T) == typeof(double) ? 8 : 4;
        MemoryBudget.EnsureFits(n1, n2, options.Ntk ? 2 : 1, elementSize, options.MemoryLimitBytes, "the kernel");

        var nngp = GC.AllocateUninitializedArray<T>(n1 * n2);
        var ntk = options.Ntk ? GC.AllocateUninitializedArray<T>(n1 * n2) : null;
        T scale = T.One / T.CreateTruncating(d);
        var la = LinearAlgebra.Current;
        if (symmetric) la.SyrkUpper<T>(n1, d, scale, x1.Data, nngp);
        else la.GemmNT<T>(n1, n2, d, scale, x1.Data, y.Data, T.Zero, nngp);
        options.Cancellation.ThrowIfCancellationRequested();

        var var1 = Variances(x1);
        var var2 = symmetric ? var1 : Variances(y);
        RunParallel(() => RunTiles(op, nngp, ntk, n1, n2, var1, var2, symmetric, options));
        if (symmetric) WriteExactDiagonal(op, x1, nngp, ntk, options.Ntk);
        return new KernelResult<T>(new Matrix<T>(n1, n2, nngp), ntk is null ? null : new Matrix<T>(n1, n2, ntk));
    }

    /// <summary>‖x_i‖²/d per row: the input kernel's diagonal.</summary>
    private static T[] Variances<T>(Matrix<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = new T[x.Rows];
        T inv = T.One / T.CreateTruncating(x.Cols);
        for (int i = 0; i < x.Rows; i++) v[i] = TensorPrimitives.Dot<T>(x.Row(i), x.Row(i)) * inv;
        return v;
    }

    private static void RunTiles<T>(IFlatKernelOp op, T[] nngp, T[]? ntk, int n1, int n2, T[] var1, T[] var2, bool symmetric, KernelOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int tile = Math.Max(8, options.TileSize);
        int rowTiles = (n1 + tile - 1) / tile, colTiles = (n2 + tile - 1) / tile;
        var tiles = new List<(int R, int C)>();
        for (int r = 0; r < rowTiles; r++)
            for (int c = symmetric ? r : 0; c < colTiles; c++) tiles.Add((r, c));
        // Largest first is not needed (tiles are uniform); interleave rows so progress is smooth.
        long done = 0;
        int reportEvery = Math.Max(1, tiles.Count / 200);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxThreads, CancellationToken = options.Cancellation };
        Parallel.For(0, tiles.Count, parallel,
            () => (Block: new PairBlock<T>(), V1: new T[tile], V2: new T[tile]),
            (t, _, local) =>
            {
                var (r, c) = tiles[t];
                int i0 = r * tile, j0 = c * tile;
                int rows = Math.Min(tile, n1 - i0), cols = Math.Min(tile, n2 - j0);
                int offset = i0 * n2 + j0;
                if (symmetric && r == c) MirrorWithinTile(nngp, offset, n2, rows);
                if (ntk is not null)
                    for (int i = 0; i < rows; i++) ntk.AsSpan(offset + i * n2, cols).Clear();
                var1.AsSpan(i0, rows).CopyTo(local.V1);
                var2.AsSpan(j0, cols).CopyTo(local.V2);
                local.Block.Attach(nngp, ntk, offset, n2, rows, cols, local.V1, local.V2);
                op.Pairs(local.Block);
                EnsureFinite(nngp, offset, n2, rows, cols, i0, j0, "NNGP");
                if (ntk is not null) EnsureFinite(ntk, offset, n2, rows, cols, i0, j0, "NTK");
                if (symmetric)
                {
                    if (r == c) { MirrorWithinTile(nngp, offset, n2, rows); if (ntk is not null) MirrorWithinTile(ntk, offset, n2, rows); }
                    else { Transpose(nngp, offset, j0 * n2 + i0, n2, rows, cols); if (ntk is not null) Transpose(ntk, offset, j0 * n2 + i0, n2, rows, cols); }
                }
                long now = Interlocked.Increment(ref done);
                if (options.Progress is not null && (now % reportEvery == 0 || now == tiles.Count)) options.Progress.Report((double)now / tiles.Count);
                return local;
            },
            _ => { });
    }

    /// <summary>Copies the upper triangle of a square diagonal tile onto its lower triangle.</summary>
    private static void MirrorWithinTile<T>(T[] m, int offset, int stride, int size)
    {
        for (int i = 1; i < size; i++)
            for (int j = 0; j < i; j++)
                m[offset + i * stride + j] = m[offset + j * stride + i];
    }

    private static void Transpose<T>(T[] m, int from, int to, int stride, int rows, int cols) where T : unmanaged =>
        Tangent.Numerics.BlockTranspose.Transpose(m, from, to, stride, rows, cols);

    private static void EnsureFinite<T>(T[] m, int offset, int stride, int rows, int cols, int i0, int j0, string which)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            var row = m.AsSpan(offset + i * stride, cols);
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var bad = Vector512<T>.Zero;
                for (; j <= cols - Vector512<T>.Count; j += Vector512<T>.Count)
                {
                    var v = Vector512.Create<T>(row.Slice(j, Vector512<T>.Count));
                    bad |= ~Vector512.Equals(v - v, Vector512<T>.Zero); // x - x is NaN exactly when x is NaN or infinite
                }
                if (bad == Vector512<T>.Zero) continue;
                j = 0;
            }
            for (; j < cols; j++)
                if (!T.IsFinite(row[j]))
                    throw NotFinite(which, i0 + i, j0 + j);
        }
    }

    /// <summary>The error for a NaN or infinite kernel entry, with the usual causes.</summary>
    internal static KernelRequestException NotFinite(string which, int i, int j) =>
        new($"the {which} is not finite at entry ({i}, {j}): the kernel diverges for these inputs (Exp or Gaussian activations at large variance, or LayerNorm of an all-zero input); rescale the inputs or the weights");

    /// <summary>Rethrows the single cause of a failed parallel loop, so callers see the real error.</summary>
    internal static void RunParallel(Action loop)
    {
        try { loop(); }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>Recomputes the diagonal at correlation exactly 1, in double.</summary>
    private static void WriteExactDiagonal<T>(IFlatKernelOp op, Matrix<T> x, T[] nngp, T[]? ntk, bool withNtk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows, d = x.Cols;
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            foreach (var e in x.Row(i)) s += double.CreateTruncating(e) * double.CreateTruncating(e);
            v[i] = s / d;
        }
        var self = new SelfBlock(v, withNtk ? new double[n] : null, n);
        op.Self(self);
        for (int i = 0; i < n; i++)
        {
            nngp[i * n + i] = T.CreateTruncating(self.Var[i]);
            if (ntk is not null) ntk[i * n + i] = T.CreateTruncating(self.Ntk![i]);
        }
    }
}
