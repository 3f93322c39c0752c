using System.Numerics;
using System.Numerics.Tensors;
using Tangent.Kernels;
using Tangent.Networks;
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

    #region Finite network

    /// <inheritdoc />
    public override FiniteLayer<T> BindFinite<T>(FiniteContext context) => new FiniteLayerNorm<T>(context, Epsilon);

    #endregion

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

#region Finite network

/// <summary>
/// Finite LayerNorm over the channels at each position, without gain or shift: y = (x − μ)/σ with μ the mean and σ² the
/// (biased) variance over the C channels, plus ε. Backward (the Jacobian of standardisation):
/// dx = (dy − mean(dy) − y·mean(dy ⊙ y)) / σ. At infinite width μ → 0 and σ² → the NNGP variance, the infinite-width
/// transform in this file.
/// </summary>
internal sealed class FiniteLayerNorm<T>(FiniteContext context, double epsilon) : FiniteLayer<T>(context, context.Input)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _epsilon = T.CreateTruncating(epsilon);
    private T[]? _inverseStd;   // 1/σ per (example, position) of the latest forward pass

    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int n)
    {
        int c = InputShape.Channels, rows = n * InputShape.Positions;
        var inv = Ensure(ref _inverseStd, rows);
        T count = T.CreateTruncating(c);
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * c, c);
            var target = y.Slice(r * c, c);
            T mean = TensorPrimitives.Sum(row) / count;
            TensorPrimitives.Subtract(row, mean, target);
            T variance = TensorPrimitives.SumOfSquares<T>(target) / count;
            inv[r] = T.One / T.Sqrt(variance + _epsilon);
            TensorPrimitives.Multiply<T>(target, inv[r], target);
        }
    }

    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int n, int m, IWeightGradientSink<T>? sink)
    {
        if (dx.IsEmpty) return;
        int c = InputShape.Channels, p = InputShape.Positions;
        T count = T.CreateTruncating(c);
        for (int r = 0; r < n * m; r++)
            for (int q = 0; q < p; q++)
            {
                int row = (r / m) * p + q;
                var yRow = y.Slice(row * c, c);
                var g = dy.Slice((r * p + q) * c, c);
                var target = dx.Slice((r * p + q) * c, c);
                T meanG = TensorPrimitives.Sum(g) / count;
                T meanGy = TensorPrimitives.Dot(g, yRow) / count;
                // target = (g − meanG − y·meanGy) / σ
                TensorPrimitives.Multiply<T>(yRow, -meanGy, target);
                TensorPrimitives.Add<T>(target, g, target);
                TensorPrimitives.Add<T>(target, -meanG, target);
                TensorPrimitives.Multiply<T>(target, _inverseStd![row], target);
            }
    }
}

#endregion
