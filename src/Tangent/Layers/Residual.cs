using System.Numerics;
using System.Numerics.Tensors;
using Tangent.Kernels;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// x + block(x). The block's output is uncorrelated with its input whenever the block ends in a zero-mean random weight
/// layer, so the kernels add: NNGP' = NNGP + NNGP_block, NTK' = NTK + NTK_block (neural-tangents' FanOut + FanInSum).
/// </summary>
public sealed class Residual(Architecture block) : Layer
{
    /// <summary>The residual branch.</summary>
    public Architecture Block { get; } = block;

    /// <inheritdoc />
    public override string TypeName => "Residual";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("block", Block)];

    internal static Residual FromArgs(LayerArgs args)
    {
        var block = args.NextBlock() ?? throw new SpecException($"spec error at {args.Where}: Residual needs a block, e.g. residual(relu > dense)");
        return new Residual(Architecture.FromSyntax(block));
    }

    /// <inheritdoc />
    public override TensorShape OutputShape(TensorShape input)
    {
        var output = Block.OutputShape(input);
        if (!output.Spatial.AsSpan().SequenceEqual(input.Spatial) || (output.Channels != input.Channels && output.Channels > 0 && input.Channels > 0))
            throw new SpecException($"spec error: Residual block maps shape {input} to {output}; the two branches must have equal shapes");
        return input.Channels > 0 ? input : output;
    }

    /// <inheritdoc />
    public override IFlatKernelOp BindFlatKernel(TensorShape input) => new Op(Block.BindFlatKernel(input));

    /// <inheritdoc />
    public override ImageKernelOp BindImageKernel(TensorShape input) => new ImageOp(Block.BindImageOps(input));

    #region Finite network

    /// <inheritdoc />
    public override FiniteLayer<T> BindFinite<T>(FiniteContext context)
    {
        // The branch's last width-choosing layer must give back the input's channels.
        var block = context.BindBlock<T>(Block, context.Input, context.InputIsWidth, WidthTarget.Exact(context.Input.Channels, context.InputIsWidth));
        if (!block.OutputShape.Equals(context.Input))
            throw new SpecException($"spec error: Residual at position {context.Path} maps shape {context.Input} to {block.OutputShape}; the two branches must have equal shapes");
        return new FiniteResidual<T>(context, block);
    }

    #endregion

    private sealed class ImageOp(ImageKernelOp block) : ImageKernelOp
    {
        public override bool NeedsFullCovariance => block.NeedsFullCovariance;
        public override IEnumerable<ImageKernelOp> Children => [block];

        protected override void Apply<T>(ImagePairState<T> main, IVarianceSupply supply)
        {
            var branch = ScratchStates<T>.Rent();
            main.CopyTo(branch);
            block.Run(branch, supply);
            if (branch.Count != main.Count || branch.IsFlat != main.IsFlat)
                throw new InvalidOperationException("residual branch changed the shape");
            TensorPrimitives.Add<T>(main.NngpSpan, branch.NngpSpan, main.NngpSpan);
            if (main.WithNtk) TensorPrimitives.Add<T>(main.NtkSpan, branch.NtkSpan, main.NtkSpan);
            main.NtkIsZero &= branch.NtkIsZero;
            ScratchStates<T>.Return(branch);
        }
    }

    private sealed class Op(IFlatKernelOp block) : IFlatKernelOp
    {
        public void Pairs<T>(PairBlock<T> main) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var branch = ScratchBlocks<T>.Rent();
            main.CopyTo(branch);
            block.Pairs(branch);
            for (int i = 0; i < main.Rows; i++)
            {
                TensorPrimitives.Add<T>(main.NngpRow(i), branch.NngpRow(i), main.NngpRow(i));
                if (main.Ntk is not null) TensorPrimitives.Add<T>(main.NtkRow(i), branch.NtkRow(i), main.NtkRow(i));
            }
            TensorPrimitives.Add<T>(main.Var1.AsSpan(0, main.Var1Count), branch.Var1.AsSpan(0, main.Var1Count), main.Var1.AsSpan(0, main.Var1Count));
            TensorPrimitives.Add<T>(main.Var2.AsSpan(0, main.Cols), branch.Var2.AsSpan(0, main.Cols), main.Var2.AsSpan(0, main.Cols));
            ScratchBlocks<T>.Return(branch);
        }

        public void Self(SelfBlock main)
        {
            var branch = main.Clone();
            block.Self(branch);
            for (int k = 0; k < main.Count; k++)
            {
                main.Var[k] += branch.Var[k];
                if (main.Ntk is { } ntk) ntk[k] += branch.Ntk![k];
            }
        }
    }
}

/// <summary>Per-thread reusable blocks for combinators, so tiles allocate nothing after warm-up.</summary>
internal static class ScratchBlocks<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic] private static Stack<PairBlock<T>>? _pool;

    public static PairBlock<T> Rent() => (_pool ??= new()).TryPop(out var b) ? b : new PairBlock<T>();

    public static void Return(PairBlock<T> block) => (_pool ??= new()).Push(block);
}

#region Finite network

/// <summary>Finite residual connection: y = x + block(x); backward dx = dy + block's VJP of dy.</summary>
internal sealed class FiniteResidual<T>(FiniteContext context, FiniteSequence<T> block) : FiniteLayer<T>(context, context.Input)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[]? _branchOutput, _branchGrad;

    public override IEnumerable<ParameterTensor<T>> Parameters => block.Parameters;
    public override IEnumerable<WeightLayer<T>> WeightLayers => block.WeightLayers;

    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int n)
    {
        int size = n * InputSize;
        var branch = Ensure(ref _branchOutput, size).AsSpan(0, size);
        block.Forward(x, branch, n);
        TensorPrimitives.Add<T>(x[..size], branch, y[..size]);
    }

    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int n, int m, IWeightGradientSink<T>? sink)
    {
        int size = n * m * InputSize;
        if (dx.IsEmpty) { block.Backward(x, _branchOutput, dy, Span<T>.Empty, n, m, sink); return; }
        var grad = Ensure(ref _branchGrad, size).AsSpan(0, size);
        block.Backward(x, _branchOutput, dy, grad, n, m, sink);
        TensorPrimitives.Add<T>(dy[..size], grad, dx[..size]);
    }
}

#endregion
