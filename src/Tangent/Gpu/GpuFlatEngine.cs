using System.Numerics;
using System.Numerics.Tensors;
using ILGPU;
using ILGPU.Runtime;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Gpu;

/// <summary>
/// The analytic NNGP and NTK of a fully connected architecture on the device. The output is computed in panels of whole
/// rows (contiguous in the row-major result, so each panel is one copy): the panel's Gram block by GEMM (cuBLAS, or the
/// ILGPU kernel), then the layer recursion, one thread per entry, in place. Two panels are in flight on two streams, so
/// the copy of one panel to the host overlaps the computation of the next; panels are sized to the device memory, which
/// is how kernels larger than the GPU's memory are computed. Symmetric kernels take their diagonal from the exact limit
/// at correlation 1 (computed on the host by the layers' own Self transforms, as the CPU engine does).
/// </summary>
internal static class GpuFlatEngine
{
    /// <summary>The kernels; with <paramref name="toHost"/> false they stay on the device and are discarded (timing only: returns null).</summary>
    public static KernelResult<T> Compute<T, P>(GpuSession session, Architecture arch, Matrix<T> x1, Matrix<T>? x2, KernelOptions options, GpuOptions gpu, bool toHost = true)
        where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
    {
        int d = x1.Cols;
        if (x2 is not null && x2.Cols != d)
            throw new KernelRequestException($"x1 has {d} features per example but x2 has {x2.Cols}; they must match");
        if (d == 0) throw new KernelRequestException("inputs have no features");
        var program = FlatProgram.Compile(arch.Layers, TensorShape.Flat(d));
        bool symmetric = x2 is null;
        var y = x2 ?? x1;
        int n1 = x1.Rows, n2 = y.Rows;
        int size = typeof(T) == typeof(double) ? 8 : 4;
        int matrices = options.Ntk ? 2 : 1;
        MemoryBudget.EnsureFits(n1, n2, matrices, size, options.MemoryLimitBytes, "the kernel");

        var v1 = Variances(x1);
        var v2 = symmetric ? v1 : Variances(y);
        var (trace1, diagK, diagT) = program.Traces(v1, new double[n1]);
        var trace2 = symmetric ? trace1 : program.Traces(v2, new double[n2]).Trace;

        // Pinned, so CUDA can copy panels straight into the result while the next panel computes.
        var nngp = toHost ? GC.AllocateUninitializedArray<T>(n1 * n2, pinned: true) : [];
        var ntk = options.Ntk && toHost ? GC.AllocateUninitializedArray<T>(n1 * n2, pinned: true) : null;
        lock (session.Gate)
        {
            var acc = session.Accelerator;
            acc.Bind();
            using var buffers = new DeviceBuffers(acc);
            var dx1 = buffers.Upload(x1.Data);
            var dx2 = symmetric ? dx1 : buffers.Upload(y.Data);
            var args = new FlatPanelArgs<T>
            {
                Codes = buffers.Upload(program.Codes),
                Params = buffers.Upload<T>(program.Parameters),
                Trace1 = buffers.Upload<T>(trace1),
                Trace2 = symmetric ? default : buffers.Upload<T>(trace2),
                DiagNngp = buffers.Upload<T>(symmetric ? diagK : [0.0]),
                DiagNtk = buffers.Upload<T>(symmetric ? diagT : [0.0]),
                Bad = buffers.Upload(new int[3]),
                Ops = program.Count, N1 = n1, N2 = n2, Symmetric = symmetric ? 1 : 0, WithNtk = options.Ntk ? 1 : 0,
            };
            if (symmetric) args.Trace2 = args.Trace1;

            int rowsPerPanel = PanelRows(session, gpu, buffers.Bytes, n1, n2, (long)size * matrices);
            int panels = (n1 + rowsPerPanel - 1) / rowsPerPanel;
            // Two slots (one computing while the other copies out) unless the kernel is a single panel.
            var slots = new (ArrayView<T> K, ArrayView<T> T, AcceleratorStream Stream)[Math.Min(2, panels)];
            for (int s = 0; s < slots.Length; s++)
                slots[s] = (buffers.Allocate<T>((long)rowsPerPanel * n2), buffers.Allocate<T>(options.Ntk ? (long)rowsPerPanel * n2 : 1), acc.CreateStream());
            using var lockK = session.IsCuda && toHost ? acc.CreatePageLockFromPinned(nngp) : null;
            using var lockT = session.IsCuda && ntk is not null ? acc.CreatePageLockFromPinned(ntk) : null;
            var kernels = session.Kernels<T, P>();
            T scale = T.One / T.CreateTruncating(d);
            try
            {
                for (int p = 0; p < panels; p++)
                {
                    var (k, t, stream) = slots[p % slots.Length];
                    int r0 = p * rowsPerPanel, rows = Math.Min(rowsPerPanel, n1 - r0);
                    int entries = rows * n2;
                    session.GemmNT<T, P>(stream, rows, n2, d, scale, dx1.SubView((long)r0 * d, (long)rows * d), d, dx2, d, k, n2);
                    var panel = args;
                    panel.Nngp = k; panel.Ntk = t; panel.Row0 = r0;
                    kernels.Recursion(stream, entries, panel);
                    if (toHost) k.SubView(0, entries).CopyToCPUUnsafeAsync(stream, ref nngp[r0 * n2], entries);
                    if (ntk is not null) t.SubView(0, entries).CopyToCPUUnsafeAsync(stream, ref ntk[r0 * n2], entries);
                    // Wait for the panel before this one (the other stream), not this one: it keeps computing meanwhile.
                    if (p > 0) Finished(slots[(p - 1) % slots.Length].Stream, p, panels, options);
                }
                Finished(slots[(panels - 1) % slots.Length].Stream, panels, panels, options);
            }
            finally
            {
                foreach (var s in slots) { s.Stream.Synchronize(); s.Stream.Dispose(); }
            }
            var bad = new int[3];
            args.Bad.CopyToCPU(bad);
            if (bad[0] != 0) throw FlatKernelEngine.NotFinite(options.Ntk ? "kernel" : "NNGP", bad[1], bad[2]);
        }
        return toHost ? new KernelResult<T>(new Matrix<T>(n1, n2, nngp), ntk is null ? null : new Matrix<T>(n1, n2, ntk)) : null!;
    }

    private static void Finished(AcceleratorStream stream, int done, int panels, KernelOptions options)
    {
        stream.Synchronize();
        options.Progress?.Report((double)done / panels);
        options.Cancellation.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Rows per panel: two panels (NNGP and NTK each) must fit in the device memory left after the inputs, and one panel
    /// must stay within ILGPU's 32-bit launch size.
    /// </summary>
    internal static int PanelRows(GpuSession session, GpuOptions gpu, long used, int n1, int n2, long bytesPerEntry)
    {
        long budget = (gpu.DeviceMemoryLimitBytes ?? (long)(session.FreeMemory * 0.8)) - used;
        long perRow = bytesPerEntry * n2;
        long rows = budget / (2 * perRow);
        if (rows < 1)
            throw new KernelRequestException($"the device has {MemoryBudget.Format(Math.Max(budget, 0))} free for buffers, less than two rows of the kernel need ({MemoryBudget.Format(2.0 * perRow)}); use fewer points in --x2 or --device cpu");
        rows = Math.Min(rows, int.MaxValue / Math.Max(n2, 1));
        return (int)Math.Min(rows, n1);
    }

    /// <summary>‖x_i‖²/d per row in float64: the input kernel's diagonal, from which the exact diagonal and variances follow.</summary>
    internal static double[] Variances<T>(Matrix<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = new double[x.Rows];
        Parallel.For(0, x.Rows, i =>
        {
            double s = 0;
            foreach (var e in x.Row(i)) s += double.CreateTruncating(e) * double.CreateTruncating(e);
            v[i] = s / x.Cols;
        });
        return v;
    }
}
