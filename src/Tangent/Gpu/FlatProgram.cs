using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Specs;

namespace Tangent.Gpu;

/// <summary>
/// A list of flat layers compiled for the device interpreter (<see cref="FlatOps"/>): a code, a variance slot and four
/// parameters per op. It also runs the layers' own CPU <c>Self</c> transforms, in float64, to give every point's
/// variance at the input of each variance-reading op (the device reads them instead of recomputing them per pair) and
/// the exact diagonal at correlation 1, exactly as the CPU engine does.
/// </summary>
internal sealed class FlatProgram
{
    /// <summary>The layer types this program covers.</summary>
    public const string Covered = "Dense, Relu, LeakyRelu, Abs, ABRelu, Erf, Sigmoid_like, Sign, Identity, LayerNorm, Flatten";

    private readonly List<IFlatKernelOp> _selfOps = [];
    private readonly List<bool> _readsVariances = [];

    /// <summary>Per op: code and variance slot (-1 when it reads none), interleaved.</summary>
    public int[] Codes { get; }
    /// <summary>Per op: four parameters.</summary>
    public double[] Parameters { get; }
    /// <summary>Number of ops.</summary>
    public int Count => Codes.Length / 2;
    /// <summary>Number of variance-reading ops (slots of the variance record).</summary>
    public int Slots { get; }

    private FlatProgram(List<(FlatOpKind Kind, double[] P)> ops, List<IFlatKernelOp> selfOps)
    {
        Codes = new int[2 * ops.Count];
        Parameters = new double[4 * ops.Count];
        int slot = 0;
        for (int i = 0; i < ops.Count; i++)
        {
            bool reads = FlatOps.ReadsVariances(ops[i].Kind);
            Codes[2 * i] = (int)ops[i].Kind;
            Codes[2 * i + 1] = reads ? slot++ : -1;
            ops[i].P.CopyTo(Parameters, 4 * i);
            _readsVariances.Add(reads);
        }
        Slots = slot;
        _selfOps = selfOps;
    }

    /// <summary>Compiles <paramref name="layers"/> acting on flat inputs of <paramref name="input"/>; refuses layers the device does not cover.</summary>
    public static FlatProgram Compile(IEnumerable<Layer> layers, TensorShape input)
    {
        var ops = new List<(FlatOpKind, double[])>();
        var selfOps = new List<IFlatKernelOp>();
        var shape = input;
        foreach (var layer in layers)
        {
            var next = layer.OutputShape(shape); // the layer's own shape check first, with its own message
            ops.Add(Translate(layer, shape));
            selfOps.Add(layer.BindFlatKernel(shape));
            shape = next;
        }
        return new FlatProgram(ops, selfOps);
    }

    /// <summary>The device op of one layer; throws <see cref="Unsupported"/> for layers the device does not cover.</summary>
    internal static (FlatOpKind Kind, double[] P) Translate(Layer layer, TensorShape input)
    {
        switch (layer)
        {
            case Dense d:
                if (d.Parameterization == Parameterization.Standard && input.Channels <= 0)
                    layer.BindFlatKernel(input); // throws the layer's own message
                return (FlatOpKind.Dense, [d.WStd * d.WStd, d.BStd * d.BStd, d.Parameterization == Parameterization.Standard ? input.Channels : 0, 0]);
            case ABRelu r:
            {
                double a = r.A, b = r.B;
                double tdot0 = (a * a + b * b) / 2, tdot1 = -(a - b) * (a - b) / (2 * Math.PI);
                return (FlatOpKind.ABRelu, [(a + b) * (a + b) / 4, (b - a) * (b - a) / 4 * (2 / Math.PI), tdot0 + tdot1 * Math.PI / 2, tdot1]);
            }
            case Erf e:
                return (FlatOpKind.Erf, [2 * e.B * e.B, e.A * e.A * 2 / Math.PI, e.C * e.C, 4 * e.A * e.A * e.B * e.B / Math.PI]);
            case Sign:
                return (FlatOpKind.Sign, [0, 0, 0, 0]);
            case LayerNorm n:
                return (FlatOpKind.LayerNorm, [n.Epsilon, 0, 0, 0]);
            case Identity or Flatten:
                return (FlatOpKind.Identity, [0, 0, 0, 0]);
            default:
                throw Unsupported(layer);
        }
    }

    /// <summary>The refusal for a layer outside the device path, with what is covered and what to do.</summary>
    public static KernelRequestException Unsupported(Layer layer) =>
        new($"the CUDA device does not cover layer {layer.TypeName}; it covers {Covered} (and Conv, GlobalAvgPool, GlobalSumPool on images); use --device cpu for this architecture");

    /// <summary>
    /// Variances of every point at the input of each variance-reading op, slot-major (<c>[slot · n + i]</c>), starting from
    /// the input variances <paramref name="variances"/>; and the diagonal (NNGP, NTK) after the last op, from
    /// <paramref name="ntk0"/> (the NTK entering the program, zero for a network's start).
    /// </summary>
    public (double[] Trace, double[] DiagNngp, double[] DiagNtk) Traces(double[] variances, double[] ntk0)
    {
        int n = variances.Length;
        var trace = new double[Slots * n];
        var block = new SelfBlock((double[])variances.Clone(), (double[])ntk0.Clone(), n);
        int slot = 0;
        for (int op = 0; op < _selfOps.Count; op++)
        {
            if (_readsVariances[op]) Array.Copy(block.Var, 0, trace, (long)slot++ * n, n);
            _selfOps[op].Self(block);
        }
        return (trace, block.Var, block.Ntk!);
    }
}
