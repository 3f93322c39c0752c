using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using Tangent.Kernels;

namespace Tangent.Gpu;

/// <summary>Runs the steps of an <see cref="ImageProgram"/> on one batch of pairs: the self pass (recording variances) or the pair pass (fused).</summary>
internal sealed class BatchRunner<T, P> where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
{
    private readonly GpuSession _session;
    private readonly ImageProgram _program;
    private readonly KernelSet<T, P> _kernels;
    private readonly int _batch;
    private readonly ArrayView<T> _k, _t, _spareK, _spareT, _rowK, _rowT, _outK, _outT;
    private readonly ArrayView<int> _pairA, _pairB;

    /// <summary>The arguments shared by every launch (program, records layout, input geometry).</summary>
    public required ImageBatchArgs<T> Template { get; init; }

    public BatchRunner(GpuSession session, DeviceBuffers buffers, ImageProgram program, int batch)
    {
        _session = session;
        _program = program;
        _kernels = session.Kernels<T, P>();
        _batch = batch;
        long state = (long)batch * program.MaxCount;
        _k = buffers.Allocate<T>(state);
        _t = buffers.Allocate<T>(state);
        _spareK = buffers.Allocate<T>(state);
        _spareT = buffers.Allocate<T>(state);
        _rowK = buffers.Allocate<T>((long)batch * program.MaxPositions);
        _rowT = buffers.Allocate<T>((long)batch * program.MaxPositions);
        _outK = buffers.Allocate<T>(batch);
        _outT = buffers.Allocate<T>(batch);
        _pairA = buffers.Allocate<int>(batch);
        _pairB = buffers.Allocate<int>(batch);
    }

    /// <summary>
    /// Pairs every image of a set with itself, in batches: fills the set's variance records and returns, per image, the
    /// NNGP and NTK entering the flat tail (float64, for the tail's own exact Self transforms on the host).
    /// </summary>
    public (double[] Var, double[] Ntk) SelfPass(ArrayView<T> images, ArrayView<T> trace, int n, KernelOptions options)
    {
        var var = new double[n];
        var ntk = new double[n];
        var ids = new int[_batch];
        var outK = new T[_batch];
        var outT = new T[_batch];
        var tail = new TailArgs<T> { RowK = _rowK, RowT = _rowT, OutK = _outK, OutT = _outT, Codes = _pairA, Params = _outK, Trace1 = _outK, Trace2 = _outK, Ops = 0, Scale = T.One };
        for (int start = 0; start < n; start += _batch)
        {
            int count = Math.Min(_batch, n - start);
            for (int b = 0; b < count; b++) ids[b] = start + b;
            _pairA.SubView(0, count).CopyFromCPU(ids.AsSpan(0, count));
            var args = Args(images, images, trace, trace, _pairA, _pairA);
            Run(args, tail, count, record: true);
            _outK.SubView(0, count).CopyToCPU(outK.AsSpan(0, count));
            _outT.SubView(0, count).CopyToCPU(outT.AsSpan(0, count));
            for (int b = 0; b < count; b++) { var[start + b] = double.CreateTruncating(outK[b]); ntk[start + b] = double.CreateTruncating(outT[b]); }
            options.Cancellation.ThrowIfCancellationRequested();
        }
        return (var, ntk);
    }

    /// <summary>Runs <paramref name="count"/> pairs (a[b], b[b]) and copies their kernel values to <paramref name="outK"/>, <paramref name="outT"/>.</summary>
    public void PairPass(ArrayView<T> images1, ArrayView<T> images2, ArrayView<T> trace1, ArrayView<T> trace2, TailArgs<T> tail,
        int[] a, int[] b, int count, T[] outK, T[] outT)
    {
        _pairA.SubView(0, count).CopyFromCPU(a.AsSpan(0, count));
        _pairB.SubView(0, count).CopyFromCPU(b.AsSpan(0, count));
        tail.RowK = _rowK; tail.RowT = _rowT; tail.OutK = _outK; tail.OutT = _outT;
        Run(Args(images1, images2, trace1, trace2, _pairA, _pairB), tail, count, record: false);
        _outK.SubView(0, count).CopyToCPU(outK.AsSpan(0, count));
        _outT.SubView(0, count).CopyToCPU(outT.AsSpan(0, count));
    }

    private ImageBatchArgs<T> Args(ArrayView<T> images1, ArrayView<T> images2, ArrayView<T> trace1, ArrayView<T> trace2, ArrayView<int> a, ArrayView<int> b)
    {
        var args = Template;
        args.K = _k; args.Th = _t; args.SpareK = _spareK; args.SpareTh = _spareT;
        args.PairA = a; args.PairB = b;
        args.Images1 = images1; args.Images2 = images2;
        args.Trace1 = trace1; args.Trace2 = trace2;
        args.Grid = _program.Grid ? 1 : 0;
        args.P = _program.Input.P;
        return args;
    }

    /// <summary>
    /// The steps on one batch. The self pass records each variance-reading op's input diagonal just before the op (its
    /// variances are the image's own) and so runs ops one at a time; the pair pass fuses each convolution with the
    /// elementwise ops after it.
    /// </summary>
    private void Run(ImageBatchArgs<T> args, TailArgs<T> tail, int count, bool record)
    {
        var stream = _session.Accelerator.DefaultStream;
        _kernels.Init(stream, count * _program.Count(_program.Input), args);
        var steps = _program.Steps;
        for (int s = 0; s < steps.Count; s++)
        {
            var step = steps[s];
            args.P = step.In.P;
            switch (step.Kind)
            {
                case ImageStepKind.Conv:
                {
                    var conv = Convert(step.Conv);
                    if (!record && s + 1 < steps.Count && steps[s + 1].Kind == ImageStepKind.Ops)
                    {
                        conv.OpFrom = steps[s + 1].OpFrom;
                        conv.OpTo = steps[s + 1].OpTo;
                        s++;
                    }
                    var launch = _program.Grid ? _kernels.ConvGrid : _kernels.ConvZip;
                    launch(stream, count * _program.Count(step.Out), args, conv);
                    (args.K, args.SpareK) = (args.SpareK, args.K);
                    (args.Th, args.SpareTh) = (args.SpareTh, args.Th);
                    break;
                }
                case ImageStepKind.Ops:
                    if (!record) _kernels.Elementwise(stream, count * _program.Count(step.In), args, step.OpFrom, step.OpTo);
                    else
                        for (int op = step.OpFrom; op < step.OpTo; op++)
                        {
                            int slot = _program.Codes[2 * op + 1];
                            if (slot >= 0) _kernels.Record(stream, count * step.In.P, args, slot);
                            _kernels.Elementwise(stream, count * _program.Count(step.In), args, op, op + 1);
                        }
                    break;
                case ImageStepKind.Pool:
                    tail.Mode = step.PoolMode;
                    tail.Scale = T.CreateTruncating(step.PoolScale);
                    if (step.PoolMode == 0) _kernels.RowSums(stream, count * step.In.P, args, tail);
                    _kernels.Pool(stream, count, args, tail);
                    break;
            }
        }
        stream.Synchronize();
    }

    private static ConvArgs<T> Convert(ConvArgs<double> c) => new()
    {
        HIn = c.HIn, HOut = c.HOut, HSize = c.HSize, HStride = c.HStride, HPad = c.HPad,
        WIn = c.WIn, WOut = c.WOut, WSize = c.WSize, WStride = c.WStride, WPad = c.WPad, Circular = c.Circular,
        W2OverTaps = T.CreateTruncating(c.W2OverTaps), B2 = T.CreateTruncating(c.B2), FanOverTaps = T.CreateTruncating(c.FanOverTaps),
    };
}
