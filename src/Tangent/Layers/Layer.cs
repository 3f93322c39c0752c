using System.Globalization;
using System.Text;
using Tangent.Kernels;
using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// One layer of an architecture. Each layer type knows, in its own file, what it does to the input shape, its
/// finite-network meaning, and its infinite-width kernel transform (DESIGN.md: one description, three meanings).
/// </summary>
public abstract class Layer
{
    /// <summary>The canonical type name, as in the JSON form (<c>Dense</c>, <c>Relu</c>, ...).</summary>
    public abstract string TypeName { get; }

    /// <summary>The layer's parameters as (JSON key, value) pairs, defaults included; values are numbers, strings, arrays or nested specs.</summary>
    public virtual IEnumerable<(string Key, object Value)> Parameters => [];

    /// <summary>The shape of one example after this layer; throws <see cref="SpecException"/> if the input does not fit.</summary>
    public virtual TensorShape OutputShape(TensorShape input) => input;

    /// <summary>The closed-form kernel transform on flat data, bound to the input shape.</summary>
    public virtual IFlatKernelOp BindFlatKernel(TensorShape input) =>
        throw new SpecException($"spec error: {TypeName} has no infinite-width kernel on flat inputs of shape {input}");

    /// <summary>
    /// The closed-form kernel transform on image (or sequence) pairs, bound to the input shape. By default a layer acts
    /// elementwise on every pair of positions with its flat transform (activations, Dense over channels, LayerNorm).
    /// </summary>
    public virtual ImageKernelOp BindImageKernel(TensorShape input) => new ElementwiseImageOp(BindFlatKernel(input));

    #region Finite network

    /// <summary>
    /// Whether this layer chooses its output channel count (weight layers, and combinators whose branches do): the last
    /// such layer of a list receives the list's <see cref="Networks.WidthTarget"/> (the readout, or a residual's channels).
    /// </summary>
    public virtual bool ChoosesWidth => false;

    /// <summary>
    /// The finite-network meaning of this layer bound to <see cref="Networks.FiniteContext.Input"/>: parameters drawn or
    /// loaded, forward pass, backward pass (DESIGN.md: one description, three meanings).
    /// </summary>
    public virtual Networks.FiniteLayer<T> BindFinite<T>(Networks.FiniteContext context) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        throw new SpecException($"spec error: {TypeName} has no finite-network meaning");

    #endregion

    /// <summary>The text form of this layer, e.g. <c>dense(W_std=1.41, b_std=0.1)</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(TypeName);
        var ps = Parameters.ToList();
        if (ps.Count > 0)
        {
            sb.Append('(');
            sb.AppendJoin(", ", ps.Select(p => p.Value is Architecture a ? a.ToString() : $"{p.Key}={Format(p.Value)}"));
            sb.Append(')');
        }
        return sb.ToString();
    }

    internal static string Format(object v) => v switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        string s => s,
        int[] a => $"[{string.Join(", ", a)}]",
        double[] a => $"[{string.Join(", ", a.Select(x => x.ToString("R", CultureInfo.InvariantCulture)))}]",
        Architecture a => $"({a})",
        _ => v.ToString() ?? "",
    };
}
