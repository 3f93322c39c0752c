using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Kernels;

/// <summary>
/// Evaluates the analytic NNGP and NTK of a fully connected architecture on flat inputs. The input Gram matrix comes
/// from BLAS (SYRK for one set, GEMM for two) straight into the NNGP output; the layer recursion then runs tile by
/// tile (one thread per tile, all layers over a contiguous copy of the tile while it sits in cache, then written back),
/// so memory is the result and three tiles per thread.
/// For one set, only the upper triangle of tiles is computed and mirrored, and the diagonal is recomputed exactly at
/// correlation 1 (arccos is ill-conditioned there).
/// </summary>
internal static class FlatKernelEngine
{
    /// <summary>Size of one result matrix from which tiles are written back with non-temporal stores.</summary>
    private const long StreamingThresholdBytes = 64L << 20;

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
        // A result far larger than the caches is written past them (nobody reads it back before the pass ends).
        bool stream = (long)n1 * n2 * Unsafe.SizeOf<T>() >= StreamingThresholdBytes;
        Parallel.For(0, tiles.Count, parallel,
            () => new TileScratch<T>(tile, ntk is not null),
            (t, _, local) =>
            {
                var (r, c) = tiles[t];
                int i0 = r * tile, j0 = c * tile;
                int rows = Math.Min(tile, n1 - i0), cols = Math.Min(tile, n2 - j0);
                int offset = i0 * n2 + j0;
                // The layers run on a contiguous copy of the tile: rows of the output lie n2 apart, and at a power-of-two
                // n2 (4096 and the like) they all fall into the same few cache sets, so the tile would not stay in cache
                // across the layers (measured without the write-back: 80 ms at n = 4096 against 55 ms at 4000).
                for (int i = 0; i < rows; i++) nngp.AsSpan(offset + i * n2, cols).CopyTo(local.Nngp.AsSpan(i * cols, cols));
                if (symmetric && r == c) MirrorWithinTile(local.Nngp, 0, cols, rows);
                local.Ntk?.AsSpan(0, rows * cols).Clear();
                var1.AsSpan(i0, rows).CopyTo(local.V1);
                var2.AsSpan(j0, cols).CopyTo(local.V2);
                local.Block.Attach(local.Nngp, local.Ntk, 0, cols, rows, cols, local.V1, local.V2);
                op.Pairs(local.Block);
                EnsureFinite(local.Nngp, cols, rows, cols, i0, j0, "NNGP");
                if (local.Ntk is not null) EnsureFinite(local.Ntk, cols, rows, cols, i0, j0, "NTK");
                if (symmetric && r == c)
                {
                    MirrorWithinTile(local.Nngp, 0, cols, rows);
                    if (local.Ntk is not null) MirrorWithinTile(local.Ntk, 0, cols, rows);
                }
                WriteBack(local.Nngp, nngp, offset, n2, rows, cols, stream);
                if (ntk is not null) WriteBack(local.Ntk!, ntk, offset, n2, rows, cols, stream);
                if (symmetric && r != c)
                {
                    // Transposed in cache first, so that the mirror image, too, is written as whole rows.
                    int mirror = j0 * n2 + i0;
                    Numerics.BlockTranspose.Transpose(local.Nngp, 0, cols, local.Transposed, 0, rows, rows, cols);
                    WriteBack(local.Transposed, nngp, mirror, n2, cols, rows, stream);
                    if (ntk is not null)
                    {
                        Numerics.BlockTranspose.Transpose(local.Ntk!, 0, cols, local.Transposed, 0, rows, rows, cols);
                        WriteBack(local.Transposed, ntk, mirror, n2, cols, rows, stream);
                    }
                }
                if (stream) Numerics.StreamingCopy.Fence();
                long now = Interlocked.Increment(ref done);
                if (options.Progress is not null && (now % reportEvery == 0 || now == tiles.Count)) options.Progress.Report((double)now / tiles.Count);
                return local;
            },
            _ => { });
    }

    /// <summary>A thread's contiguous copy of the tile it works on, and the tile's variances.</summary>
    private sealed class TileScratch<T>(int tile, bool withNtk) where T : unmanaged, IFloatingPointIeee754<T>
    {
        public readonly PairBlock<T> Block = new();
        public readonly T[] Nngp = GC.AllocateUninitializedArray<T>(tile * tile);
        public readonly T[]? Ntk = withNtk ? GC.AllocateUninitializedArray<T>(tile * tile) : null;
        public readonly T[] Transposed = GC.AllocateUninitializedArray<T>(tile * tile);
        public readonly T[] V1 = new T[tile], V2 = new T[tile];
    }

    /// <summary>Copies a contiguous rows x cols tile into the output at <paramref name="offset"/>.</summary>
    private static void WriteBack<T>(T[] tile, T[] output, int offset, int stride, int rows, int cols, bool stream) where T : unmanaged
    {
        for (int i = 0; i < rows; i++)
        {
            var from = tile.AsSpan(i * cols, cols);
            var to = output.AsSpan(offset + i * stride, cols);
            if (stream) Numerics.StreamingCopy.Copy<T>(from, to);
            else from.CopyTo(to);
        }
    }

    /// <summary>Copies the upper triangle of a square diagonal tile onto its lower triangle.</summary>
    private static void MirrorWithinTile<T>(T[] m, int offset, int stride, int size)
    {
        for (int i = 1; i < size; i++)
            for (int j = 0; j < i; j++)
                m[offset + i * stride + j] = m[offset + j * stride + i];
    }

    private static void EnsureFinite<T>(T[] m, int stride, int rows, int cols, int i0, int j0, string which)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            var row = m.AsSpan(i * stride, cols);
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
