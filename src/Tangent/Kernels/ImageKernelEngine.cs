using System.Numerics;
using System.Runtime.Intrinsics;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Kernels;

/// <summary>
/// Evaluates the analytic NNGP and NTK of a convolutional architecture on images (NHWC) or sequences (NLC).
/// Pass 1 pairs every image with itself, recording the per-position variances each activation needs (for a pooled
/// network these depend on the image's full self-covariance, so they cannot be derived per pair). Pass 2 runs every
/// distinct pair of images, tile by tile on all cores, with the recorded variances; the flat tail after the Flatten or
/// global pooling runs once per tile. A network that never pools needs only the covariance between equal positions
/// (P numbers per pair); one that pools needs all P x P, chosen automatically.
/// </summary>
internal static class ImageKernelEngine
{
    public static KernelResult<T> Compute<T>(Architecture arch, Matrix<T> x1, Matrix<T>? x2, TensorShape shape, KernelOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (spatial, tail) = arch.BindImageKernel(shape);
        int varOps = Number(spatial, 0);
        bool full = spatial.NeedsFullCovariance;
        var g0 = shape.Spatial.Length == 1 ? new Geometry(1, shape.Spatial[0]) : new Geometry(shape.Spatial[0], shape.Spatial[1]);
        int channels = shape.Channels;
        if (x1.Cols != g0.P * channels || x2 is not null && x2.Cols != x1.Cols)
            throw new KernelRequestException($"inputs have {x1.Cols} (and {x2?.Cols}) values per example, expected {g0.P * channels} for shape {shape}");
        bool symmetric = x2 is null;
        int n1 = x1.Rows, n2 = (x2 ?? x1).Rows;
        int size = typeof(T) == typeof(double) ? 8 : 4;
        MemoryBudget.EnsureFits(n1, n2, options.Ntk ? 2 : 1, size, options.MemoryLimitBytes, "the kernel");

        var images1 = Transposed(x1, g0.P, channels);
        var images2 = symmetric ? images1 : Transposed(x2!, g0.P, channels);

        // The variance layout (same for every image) from one self pair.
        var layout = new VarianceLayout(varOps);
        RunSelf(spatial, images1[0], g0, channels, full, options.Ntk, layout, null);
        long traceBytes = (long)layout.Total * size * (n1 + (symmetric ? 0 : n2));
        if (traceBytes + (double)n1 * n2 * size * (options.Ntk ? 2 : 1) > (options.MemoryLimitBytes ?? MemoryBudget.AvailableBytes()))
            throw new KernelRequestException($"the kernel plus per-image variance records need {MemoryBudget.Format(traceBytes + (double)n1 * n2 * size * (options.Ntk ? 2 : 1))}, more than is available; use --dtype float32 or fewer images");

        SelfResults<T> self1 = null!, self2 = null!;
        FlatKernelEngine.RunParallel(() =>
        {
            self1 = SelfPass(spatial, tail, images1, g0, channels, full, options, layout);
            self2 = symmetric ? self1 : SelfPass(spatial, tail, images2, g0, channels, full, options, layout);
        });

        var nngp = GC.AllocateUninitializedArray<T>(n1 * n2);
        var ntk = options.Ntk ? GC.AllocateUninitializedArray<T>(n1 * n2) : null;
        FlatKernelEngine.RunParallel(() => PairPass(spatial, tail, images1, images2, self1, self2, g0, channels, full, options, layout, nngp, ntk, symmetric));
        return new KernelResult<T>(new Matrix<T>(n1, n2, nngp), ntk is null ? null : new Matrix<T>(n1, n2, ntk));
    }

    /// <summary>Numbers the variance-reading operations depth-first; returns the count.</summary>
    private static int Number(ImageKernelOp op, int next)
    {
        if (op.NeedsVariances) op.Index = next++;
        foreach (var child in op.Children) next = Number(child, next);
        return next;
    }

    /// <summary>Each image as C rows of P positions, so channel sums are contiguous.</summary>
    private static T[][] Transposed<T>(Matrix<T> x, int p, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[x.Rows][];
        for (int n = 0; n < x.Rows; n++)
        {
            var row = x.Row(n);
            var t = result[n] = new T[p * c];
            for (int q = 0; q < p; q++)
                for (int k = 0; k < c; k++)
                    t[k * p + q] = row[q * c + k];
        }
        return result;
    }

    /// <summary>Σ0(p, p') = Σ_c x[p,c] x'[p',c] / C into a fresh state; the NTK starts at zero.</summary>
    private static void Initialise<T>(ImagePairState<T> s, T[] a, T[] b, Geometry g, int channels, bool full, bool withNtk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = g.P;
        s.G1 = g; s.G2 = g; s.Zip = !full; s.IsFlat = false; s.WithNtk = withNtk;
        s.Reserve(full ? p * p : p, p, p);
        var k = s.NngpSpan;
        T inv = T.One / T.CreateTruncating(channels);
        if (full)
        {
            // One vector of a row at a time, summed over the channels in a register and stored once, instead of clearing
            // each row and adding the channels one library call at a time (6 % of an 8x8 CNTK pair with the calls, 5 %
            // now, in a profile). Same operations in the same order, so the same sums.
            int lanes = Vector512<T>.Count, whole = Vector512.IsHardwareAccelerated ? p - p % lanes : 0;
            Span<T> scale = channels <= 256 ? stackalloc T[channels] : new T[channels];
            ref T image2 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(b);
            for (int q = 0; q < p; q++)
            {
                var row = k.Slice(q * p, p);
                ref T rowStart = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(row);
                for (int c = 0; c < channels; c++) scale[c] = a[c * p + q] * inv;
                for (int j = 0; j < whole; j += lanes)
                {
                    var sum = Vector512<T>.Zero;
                    for (int c = 0; c < channels; c++)
                        sum = Vector512.LoadUnsafe(ref image2, (nuint)(c * p + j)) * Vector512.Create(scale[c]) + sum;
                    sum.StoreUnsafe(ref rowStart, (nuint)j);
                }
                for (int j = whole; j < p; j++)
                {
                    T sum = T.Zero;
                    for (int c = 0; c < channels; c++) sum = b[c * p + j] * scale[c] + sum;
                    row[j] = sum;
                }
            }
        }
        else
        {
            k.Clear();
            for (int c = 0; c < channels; c++)
                for (int q = 0; q < p; q++) k[q] += a[c * p + q] * b[c * p + q] * inv;
        }
        if (withNtk) s.NtkSpan.Clear();
        s.NtkIsZero = true;
    }

    private static (T Nngp, T Ntk) RunSelf<T>(ImageKernelOp spatial, T[] image, Geometry g, int channels, bool full, bool withNtk,
        VarianceLayout layout, T[]? trace) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = States<T>.Main;
        Initialise(s, image, image, g, channels, full, withNtk);
        spatial.Run(s, new RecordingSupply<T>(layout, trace));
        return (s.NngpSpan[0], withNtk ? s.NtkSpan[0] : T.Zero);
    }

    /// <summary>Per image: the variance record, the variance entering the flat tail, and the exact diagonal entries.</summary>
    private sealed record SelfResults<T>(T[][] Traces, T[] TailVar, double[] DiagNngp, double[] DiagNtk);

    private static SelfResults<T> SelfPass<T>(ImageKernelOp spatial, IFlatKernelOp tail, T[][] images, Geometry g, int channels, bool full,
        KernelOptions options, VarianceLayout layout) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = images.Length;
        var traces = new T[n][];
        var tailVar = new T[n];
        var diagNngp = new double[n];
        var diagNtk = new double[n];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxThreads, CancellationToken = options.Cancellation };
        Parallel.For(0, n, parallel, i =>
        {
            traces[i] = new T[layout.Total];
            var (k, t) = RunSelf(spatial, images[i], g, channels, full, options.Ntk, layout, traces[i]);
            tailVar[i] = k;
            var self = new SelfBlock([double.CreateTruncating(k)], options.Ntk ? [double.CreateTruncating(t)] : null, 1);
            tail.Self(self);
            diagNngp[i] = self.Var[0];
            diagNtk[i] = options.Ntk ? self.Ntk![0] : 0;
        });
        return new SelfResults<T>(traces, tailVar, diagNngp, diagNtk);
    }

    private static void PairPass<T>(ImageKernelOp spatial, IFlatKernelOp tail, T[][] images1, T[][] images2, SelfResults<T> self1, SelfResults<T> self2,
        Geometry g, int channels, bool full, KernelOptions options, VarianceLayout layout, T[] nngp, T[]? ntk, bool symmetric)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n1 = images1.Length, n2 = images2.Length;
        const int tile = 16;
        var tiles = new List<(int R, int C)>();
        for (int r = 0; r < (n1 + tile - 1) / tile; r++)
            for (int c = symmetric ? r : 0; c < (n2 + tile - 1) / tile; c++) tiles.Add((r, c));
        long done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxThreads, CancellationToken = options.Cancellation };
        Parallel.For(0, tiles.Count, parallel,
            () => (K: new T[tile * tile], Th: new T[tile * tile], V1: new T[tile], V2: new T[tile], Block: new PairBlock<T>()),
            (t, _, local) =>
            {
                var (r, c) = tiles[t];
                int i0 = r * tile, j0 = c * tile, rows = Math.Min(tile, n1 - i0), cols = Math.Min(tile, n2 - j0);
                var s = States<T>.Main;
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++)
                    {
                        int a = i0 + i, b = j0 + j;
                        if (symmetric && b < a) continue;
                        Initialise(s, images1[a], images2[b], g, channels, full, options.Ntk);
                        spatial.Run(s, new TraceSupply<T>(layout, self1.Traces[a], self2.Traces[b]));
                        local.K[i * cols + j] = s.NngpSpan[0];
                        if (options.Ntk) local.Th[i * cols + j] = s.NtkSpan[0];
                    }
                if (symmetric && r == c)
                    for (int i = 0; i < rows; i++)
                        for (int j = 0; j < i; j++) { local.K[i * cols + j] = local.K[j * cols + i]; local.Th[i * cols + j] = local.Th[j * cols + i]; }
                self1.TailVar.AsSpan(i0, rows).CopyTo(local.V1);
                self2.TailVar.AsSpan(j0, cols).CopyTo(local.V2);
                local.Block.Attach(local.K, options.Ntk ? local.Th : null, 0, cols, rows, cols, local.V1, local.V2);
                tail.Pairs(local.Block);
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++)
                    {
                        int a = i0 + i, b = j0 + j;
                        T k = local.K[i * cols + j], th = local.Th[i * cols + j];
                        if (symmetric && a == b) { k = T.CreateTruncating(self1.DiagNngp[a]); th = T.CreateTruncating(self1.DiagNtk[a]); }
                        if (!T.IsFinite(k) || options.Ntk && !T.IsFinite(th))
                            throw FlatKernelEngine.NotFinite("kernel", a, b);
                        nngp[a * n2 + b] = k;
                        if (ntk is not null) ntk[a * n2 + b] = th;
                        if (symmetric) { nngp[b * n2 + a] = k; if (ntk is not null) ntk[b * n2 + a] = th; }
                    }
                long now = Interlocked.Increment(ref done);
                options.Progress?.Report((double)now / tiles.Count);
                return local;
            },
            _ => { });
    }

    /// <summary>Where each variance-reading operation's record starts in an image's trace, learnt from the first self pair.</summary>
    private sealed class VarianceLayout(int ops)
    {
        public readonly int[] Offset = Enumerable.Repeat(-1, ops).ToArray();
        public readonly int[] Length = new int[ops];
        public int Total;

        public void Learn(int index, int length)
        {
            if (Offset[index] >= 0) return;
            Offset[index] = Total;
            Length[index] = length;
            Total += length;
        }
    }

    /// <summary>Pass 1: the variances are the diagonal of the self pair's state; record them (and learn the layout).</summary>
    private readonly struct RecordingSupply<TT>(VarianceLayout layout, TT[]? trace) : IVarianceSupply where TT : unmanaged, IFloatingPointIeee754<TT>
    {
        public bool ReadsState => true;

        public void Supply<T>(ImagePairState<T> s, int index) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int p = s.IsFlat ? 1 : s.G1.P;
            var k = s.NngpSpan;
            for (int q = 0; q < p; q++) s.Var1[q] = s.Zip || s.IsFlat ? k[q] : k[q * p + q];
            s.Var1.AsSpan(0, p).CopyTo(s.Var2);
            if (trace is null) { layout.Learn(index, p); return; }
            s.Var1.AsSpan(0, p).CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<TT, T>(trace.AsSpan(layout.Offset[index], p)));
        }
    }

    /// <summary>Pass 2: the variances come from each image's record.</summary>
    private readonly struct TraceSupply<TT>(VarianceLayout layout, TT[] trace1, TT[] trace2) : IVarianceSupply where TT : unmanaged, IFloatingPointIeee754<TT>
    {
        public bool ReadsState => false;

        public void Supply<T>(ImagePairState<T> s, int index) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int off = layout.Offset[index], len = layout.Length[index];
            System.Runtime.InteropServices.MemoryMarshal.Cast<TT, T>(trace1.AsSpan(off, len)).CopyTo(s.Var1);
            System.Runtime.InteropServices.MemoryMarshal.Cast<TT, T>(trace2.AsSpan(off, len)).CopyTo(s.Var2);
        }
    }

    private static class States<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] private static ImagePairState<T>? _main;
        public static ImagePairState<T> Main => _main ??= new ImagePairState<T>();
    }
}
