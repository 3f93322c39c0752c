using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Gpu;

/// <summary>
/// The analytic NNGP and NTK of a convolutional architecture on the device, in batches of image pairs whose states
/// (P x P position pairs, or P when only equal positions matter) sit side by side in device memory, one thread per
/// state entry. As in the CPU engine, a self pass first pairs every image with itself and records the per-position
/// variances each elementwise layer reads (they depend on the whole image, not on the pair); then every distinct pair
/// runs with those records, each convolution fused with the elementwise layers after it. Only the images go to the
/// device and one value per pair comes back, so transfers are negligible; batches are sized to the device memory.
/// </summary>
internal static class GpuImageEngine
{
    public static KernelResult<T> Compute<T, P>(GpuSession session, Architecture arch, Matrix<T> x1, Matrix<T>? x2, TensorShape shape,
        KernelOptions options, GpuOptions gpu) where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
    {
        var program = ImageProgram.Compile(arch, shape);
        int p0 = program.Input.P, channels = program.Channels;
        if (x1.Cols != p0 * channels || x2 is not null && x2.Cols != x1.Cols)
            throw new KernelRequestException($"inputs have {x1.Cols} (and {x2?.Cols}) values per example, expected {p0 * channels} for shape {shape}");
        bool symmetric = x2 is null;
        int n1 = x1.Rows, n2 = (x2 ?? x1).Rows;
        int size = typeof(T) == typeof(double) ? 8 : 4;
        MemoryBudget.EnsureFits(n1, n2, options.Ntk ? 2 : 1, size, options.MemoryLimitBytes, "the kernel");
        var nngp = GC.AllocateUninitializedArray<T>(n1 * n2);
        var ntk = options.Ntk ? GC.AllocateUninitializedArray<T>(n1 * n2) : null;

        lock (session.Gate)
        {
            var acc = session.Accelerator;
            acc.Bind();
            using var buffers = new DeviceBuffers(acc);
            var images1 = buffers.Upload(Transposed(x1, p0, channels));
            var images2 = symmetric ? images1 : buffers.Upload(Transposed(x2!, p0, channels));
            var trace1 = buffers.Allocate<T>((long)n1 * program.TraceLength);
            var trace2 = symmetric ? trace1 : buffers.Allocate<T>((long)n2 * program.TraceLength);
            var codes = buffers.Upload(program.Codes);
            var parameters = buffers.Upload<T>(program.Parameters);
            var offsets = buffers.Upload(program.SlotOffset);
            var tailCodes = buffers.Upload(program.Tail.Codes);
            var tailParams = buffers.Upload<T>(program.Tail.Parameters);

            int batch = BatchSize(session, gpu, program, buffers.Bytes, size, symmetric ? (long)n1 * (n1 - 1) / 2 : (long)n1 * n2, Math.Max(n1, n2));
            var run = new BatchRunner<T, P>(session, buffers, program, batch)
            {
                Template = new ImageBatchArgs<T>
                {
                    Codes = codes, Params = parameters, SlotOffset = offsets, TraceLength = program.TraceLength,
                    Channels = channels, P0 = p0, InvChannels = T.One / T.CreateTruncating(channels),
                },
            };

            // Self pass: variance records and the state entering the flat tail, per image.
            var (tailVar1, tailNtk1) = run.SelfPass(images1, trace1, n1, options);
            var (tailVar2, tailNtk2) = symmetric ? (tailVar1, tailNtk1) : run.SelfPass(images2, trace2, n2, options);
            var (tailTrace1, diagK, diagT) = program.Tail.Traces(tailVar1, tailNtk1);
            var tailTrace2 = symmetric ? tailTrace1 : program.Tail.Traces(tailVar2, tailNtk2).Trace;
            var tail = new TailArgs<T>
            {
                Codes = tailCodes, Params = tailParams, Ops = program.Tail.Count, N1 = n1, N2 = n2,
                Trace1 = buffers.Upload<T>(tailTrace1),
            };
            tail.Trace2 = symmetric ? tail.Trace1 : buffers.Upload<T>(tailTrace2);

            // Pair pass over every distinct pair.
            var pairsA = new int[batch];
            var pairsB = new int[batch];
            var outK = new T[batch];
            var outT = new T[batch];
            long total = symmetric ? (long)n1 * (n1 - 1) / 2 : (long)n1 * n2, done = 0;
            using var pairs = Pairs(n1, n2, symmetric).GetEnumerator();
            while (true)
            {
                int count = 0;
                while (count < batch && pairs.MoveNext()) { (pairsA[count], pairsB[count]) = pairs.Current; count++; }
                if (count == 0) break;
                run.PairPass(images1, images2, trace1, trace2, tail, pairsA, pairsB, count, outK, outT);
                for (int b = 0; b < count; b++)
                {
                    int i = pairsA[b], j = pairsB[b];
                    T k = outK[b], t = outT[b];
                    if (!T.IsFinite(k) || options.Ntk && !T.IsFinite(t)) throw FlatKernelEngine.NotFinite("kernel", i, j);
                    nngp[i * n2 + j] = k;
                    if (ntk is not null) ntk[i * n2 + j] = t;
                    if (symmetric) { nngp[j * n2 + i] = k; if (ntk is not null) ntk[j * n2 + i] = t; }
                }
                done += count;
                options.Progress?.Report((double)done / total);
                options.Cancellation.ThrowIfCancellationRequested();
            }
            if (symmetric)
                for (int i = 0; i < n1; i++)
                {
                    T k = T.CreateTruncating(diagK[i]), t = T.CreateTruncating(diagT[i]);
                    if (!T.IsFinite(k) || options.Ntk && !T.IsFinite(t)) throw FlatKernelEngine.NotFinite("kernel", i, i);
                    nngp[i * n2 + i] = k;
                    if (ntk is not null) ntk[i * n2 + i] = t;
                }
        }
        return new KernelResult<T>(new Matrix<T>(n1, n2, nngp), ntk is null ? null : new Matrix<T>(n1, n2, ntk));
    }

    /// <summary>Distinct pairs: (i, j) with i &lt; j for one set (the diagonal is exact from the self pass), all (i, j) for two.</summary>
    private static IEnumerable<(int, int)> Pairs(int n1, int n2, bool symmetric)
    {
        for (int i = 0; i < n1; i++)
            for (int j = symmetric ? i + 1 : 0; j < n2; j++)
                yield return (i, j);
    }

    /// <summary>
    /// Pairs per batch: four state buffers (NNGP, NTK and their spares) of the largest state, the row sums of global
    /// pooling, within the device memory left, and within ILGPU's 32-bit launch size.
    /// </summary>
    private static int BatchSize(GpuSession session, GpuOptions gpu, ImageProgram program, long used, int size, long pairs, int images)
    {
        long perPair = (4L * program.MaxCount + 2L * program.MaxPositions + 4) * size + 8;
        long budget = (gpu.DeviceMemoryLimitBytes ?? (long)(session.FreeMemory * 0.8)) - used;
        long fit = budget / perPair;
        if (gpu.ImagePairBatch is { } wanted) fit = Math.Min(fit, wanted);
        if (fit < 1)
            throw new KernelRequestException($"the device has {MemoryBudget.Format(Math.Max(budget, 0))} free for buffers, less than one pair of images needs ({MemoryBudget.Format(perPair)}); use smaller images or --device cpu");
        fit = Math.Min(fit, int.MaxValue / ((long)program.MaxCount * 2));
        // A batch also serves the self pass (one pair per image), so it needs no more than max(pairs, images).
        return (int)Math.Max(1, Math.Min(fit, Math.Max(pairs, images)));
    }

    /// <summary>Each image as C rows of P positions (the layout the Σ0 kernel reads).</summary>
    private static T[] Transposed<T>(Matrix<T> x, int p, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var t = new T[(long)x.Rows * p * c];
        for (int n = 0; n < x.Rows; n++)
        {
            var row = x.Row(n);
            int start = n * p * c;
            for (int q = 0; q < p; q++)
                for (int k = 0; k < c; k++)
                    t[start + k * p + q] = row[q * c + k];
        }
        return t;
    }
}
