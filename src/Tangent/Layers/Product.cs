using System.Numerics;
using System.Numerics.Tensors;
using Tangent.Kernels;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// The elementwise product of independent branches applied to the same input. For independent zero-mean branches the
/// NNGPs multiply, and the product rule gives NTK' = Σ_i NTK_i Π_{j≠i} NNGP_j (neural-tangents' FanOut + FanInProd).
/// </summary>
public sealed class Product(IReadOnlyList<Architecture> blocks) : Layer
{
    /// <summary>The branches.</summary>
    public IReadOnlyList<Architecture> Blocks { get; } = blocks.Count >= 1 ? blocks : throw new SpecException("spec error: Product needs at least one branch");

    /// <inheritdoc />
    public override string TypeName => "Product";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("blocks", Blocks.ToArray())];

    internal static Product FromArgs(LayerArgs args)
    {
        var blocks = new List<Architecture>();
        while (args.NextBlock() is { } b) blocks.Add(Architecture.FromSyntax(b));
        if (blocks.Count == 0) throw new SpecException($"spec error at {args.Where}: Product needs branches, e.g. product(erf, relu > dense)");
        return new Product(blocks);
    }

    /// <inheritdoc />
    public override TensorShape OutputShape(TensorShape input)
    {
        var shapes = Blocks.Select(b => b.OutputShape(input)).ToList();
        if (shapes.Any(s => !s.Spatial.AsSpan().SequenceEqual(shapes[0].Spatial)))
            throw new SpecException($"spec error: Product branches give shapes {string.Join(", ", shapes)}; they must be equal");
        return shapes[0];
    }

    /// <inheritdoc />
    public override IFlatKernelOp BindFlatKernel(TensorShape input) => new Op(Blocks.Select(b => b.BindFlatKernel(input)).ToArray());

    /// <inheritdoc />
    public override ImageKernelOp BindImageKernel(TensorShape input) => new ImageOp(Blocks.Select(b => b.BindImageOps(input)).ToArray());

    #region Finite network

    /// <inheritdoc />
    public override bool ChoosesWidth => true;

    /// <inheritdoc />
    public override FiniteLayer<T> BindFinite<T>(FiniteContext context)
    {
        // Every branch ends at the same width so the outputs multiply: the input's channels if some branch keeps them
        // (chooses no width), else the product's own target.
        var target = Blocks.Any(b => !b.Layers.Any(l => l.ChoosesWidth)) ? WidthTarget.Exact(context.Input.Channels, context.InputIsWidth) : context.Target;
        var branches = Blocks.Select((b, i) => context.BindBlock<T>(b, context.Input, context.InputIsWidth, target, i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        if (branches.Any(b => !b.OutputShape.Equals(branches[0].OutputShape)))
            throw new SpecException($"spec error: Product at position {context.Path} has branches of shapes {string.Join(", ", branches.Select(b => b.OutputShape))}; they must be equal");
        return new FiniteProduct<T>(context, branches);
    }

    #endregion

    private sealed class ImageOp(ImageKernelOp[] branches) : ImageKernelOp
    {
        public override bool NeedsFullCovariance => branches.Any(b => b.NeedsFullCovariance);
        public override IEnumerable<ImageKernelOp> Children => branches;

        protected override void Apply<T>(ImagePairState<T> main, IVarianceSupply supply)
        {
            var outs = new ImagePairState<T>[branches.Length];
            for (int b = 0; b < branches.Length; b++)
            {
                outs[b] = ScratchStates<T>.Rent();
                main.CopyTo(outs[b]);
                branches[b].Run(outs[b], supply);
            }
            main.G1 = outs[0].G1; main.G2 = outs[0].G2; main.IsFlat = outs[0].IsFlat;
            main.Reserve(main.Count, main.G1.P, main.G2.P);
            var nngp = main.NngpSpan;
            var ntk = main.NtkSpan;
            for (int i = 0; i < nngp.Length; i++)
            {
                T prod = T.One, sum = T.Zero;
                foreach (var o in outs)
                {
                    T k = o.NngpSpan[i];
                    if (main.WithNtk) sum = sum * k + o.NtkSpan[i] * prod;
                    prod *= k;
                }
                nngp[i] = prod;
                if (main.WithNtk) ntk[i] = sum;
            }
            main.NtkIsZero = false;
            foreach (var o in outs) ScratchStates<T>.Return(o);
        }
    }

    private sealed class Op(IFlatKernelOp[] branches) : IFlatKernelOp
    {
        public void Pairs<T>(PairBlock<T> main) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var outs = new PairBlock<T>[branches.Length];
            for (int b = 0; b < branches.Length; b++)
            {
                outs[b] = ScratchBlocks<T>.Rent();
                main.CopyTo(outs[b]);
                branches[b].Pairs(outs[b]);
            }
            for (int i = 0; i < main.Rows; i++)
            {
                var nngp = main.NngpRow(i);
                var ntk = main.NtkRow(i);
                for (int j = 0; j < nngp.Length; j++)
                {
                    T prod = T.One, sum = T.Zero;
                    for (int b = 0; b < outs.Length; b++)
                    {
                        T k = outs[b].NngpRow(i)[j];
                        if (!ntk.IsEmpty) sum = sum * k + outs[b].NtkRow(i)[j] * prod;
                        prod *= k;
                    }
                    nngp[j] = prod;
                    if (!ntk.IsEmpty) ntk[j] = sum;
                }
            }
            for (int i = 0; i < main.Var1Count; i++) { T p = T.One; foreach (var o in outs) p *= o.Var1[i]; main.Var1[i] = p; }
            for (int j = 0; j < main.Cols; j++) { T p = T.One; foreach (var o in outs) p *= o.Var2[j]; main.Var2[j] = p; }
            foreach (var o in outs) ScratchBlocks<T>.Return(o);
        }

        public void Self(SelfBlock main)
        {
            var outs = branches.Select(b => { var s = main.Clone(); b.Self(s); return s; }).ToArray();
            for (int k = 0; k < main.Count; k++)
            {
                double prod = 1, sum = 0;
                foreach (var o in outs)
                {
                    if (main.Ntk is not null) sum = sum * o.Var[k] + o.Ntk![k] * prod;
                    prod *= o.Var[k];
                }
                main.Var[k] = prod;
                if (main.Ntk is { } ntk) ntk[k] = sum;
            }
        }
    }
}

#region Finite network

/// <summary>
/// Finite product of branches: y = Π_b f_b(x) elementwise; backward by the product rule,
/// dx = Σ_b VJP_b(dy ⊙ Π_{j≠b} f_j(x)).
/// </summary>
internal sealed class FiniteProduct<T> : FiniteLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly FiniteSequence<T>[] _branches;
    private readonly T[]?[] _outputs;
    private T[]? _others, _branchCotangent, _branchGrad;

    public FiniteProduct(FiniteContext context, FiniteSequence<T>[] branches) : base(context, branches[0].OutputShape)
    {
        _branches = branches;
        _outputs = new T[]?[branches.Length];
        OutputIsWidth = branches[0].OutputIsWidth;
    }

    public override IEnumerable<ParameterTensor<T>> Parameters => _branches.SelectMany(b => b.Parameters);
    public override IEnumerable<WeightLayer<T>> WeightLayers => _branches.SelectMany(b => b.WeightLayers);

    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int n)
    {
        int size = n * OutputSize;
        for (int b = 0; b < _branches.Length; b++) _branches[b].Forward(x, Ensure(ref _outputs[b], size), n);
        _outputs[0].AsSpan(0, size).CopyTo(y);
        for (int b = 1; b < _branches.Length; b++) TensorPrimitives.Multiply<T>(y[..size], _outputs[b].AsSpan(0, size), y[..size]);
    }

    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int n, int m, IWeightGradientSink<T>? sink)
    {
        int size = OutputSize, rows = n * m;
        var others = Ensure(ref _others, (long)n * size).AsSpan(0, n * size);
        var cotangent = Ensure(ref _branchCotangent, (long)rows * size).AsSpan(0, rows * size);
        Span<T> grad = dx.IsEmpty ? Span<T>.Empty : Ensure(ref _branchGrad, (long)rows * InputSize).AsSpan(0, rows * InputSize);
        if (!dx.IsEmpty) dx[..(rows * InputSize)].Clear();
        for (int b = 0; b < _branches.Length; b++)
        {
            // Product of the other branches' outputs (recomputed rather than divided: outputs may be zero).
            others.Fill(T.One);
            for (int j = 0; j < _branches.Length; j++)
                if (j != b) TensorPrimitives.Multiply<T>(others, _outputs[j].AsSpan(0, n * size), others);
            for (int r = 0; r < rows; r++)
                TensorPrimitives.Multiply<T>(dy.Slice(r * size, size), others.Slice(r / m * size, size), cotangent.Slice(r * size, size));
            _branches[b].Backward(x, _outputs[b], cotangent, grad, n, m, sink);
            if (!dx.IsEmpty) TensorPrimitives.Add<T>(dx[..(rows * InputSize)], grad, dx[..(rows * InputSize)]);
        }
    }
}

#endregion
