using System.Numerics;
using Tangent.Kernels;
using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// Normalisation over the channel axis. At infinite width the per-example mean and variance over channels are the
/// deterministic values 0 and the NNGP variance, so the layer divides every pair's NNGP and NTK by sqrt(v1 v2) and
/// every variance becomes 1 (as neural-tangents' LayerNorm).
/// </summary>
public sealed class LayerNorm(double epsilon = 0) : Layer
{
    /// <summary>Added to the variance before dividing (0 by default, as in the infinite-width limit).</summary>
    public double Epsilon { get; } = epsilon;

    /// <inheritdoc />
    public override string TypeName => "LayerNorm";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => Epsilon == 0 ? [] : [("eps", Epsilon)];
    internal static LayerNorm FromArgs(LayerArgs args) => new(args.Number("eps", 0, ["epsilon"], LayerArgs.NonNegative));

    /// <inheritdoc />
    public override IFlatKernelOp BindFlatKernel(TensorShape input) => new Op(Epsilon);

    private sealed record Op(double Eps) : IFlatKernelOp
    {
        public void Pairs<T>(PairBlock<T> block) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T eps = T.CreateTruncating(Eps);
            for (int i = 0; i < block.Rows; i++)
            {
                var nngp = block.NngpRow(i);
                var ntk = block.NtkRow(i);
                for (int j = 0; j < nngp.Length; j++)
                {
                    T inv = T.One / T.Sqrt((block.Var1[block.Zip ? j : i] + eps) * (block.Var2[j] + eps));
                    nngp[j] *= inv;
                    if (!ntk.IsEmpty) ntk[j] *= inv;
                }
            }
            for (int i = 0; i < block.Var1Count; i++) block.Var1[i] /= block.Var1[i] + eps;
            for (int j = 0; j < block.Cols; j++) block.Var2[j] /= block.Var2[j] + eps;
        }

        public void Self(SelfBlock block)
        {
            for (int k = 0; k < block.Count; k++)
            {
                double v = block.Var[k] + Eps;
                if (block.Ntk is { } ntk) ntk[k] /= v;
                block.Var[k] /= v;
            }
        }
    }
}
