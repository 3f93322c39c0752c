using System.Numerics;

namespace Tangent.Kernels;

/// <summary>Gives every variance-consuming operation the per-position variances of both images at its input.</summary>
public interface IVarianceSupply
{
    /// <summary>Fills <c>state.Var1</c> and <c>state.Var2</c> for the operation numbered <paramref name="index"/>.</summary>
    void Supply<T>(ImagePairState<T> state, int index) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// True when the variances are read off the state itself (an image paired with itself), so they exist only once the
    /// preceding operations have run; false when they come from records and can be supplied at any time.
    /// </summary>
    bool ReadsState { get; }
}

/// <summary>
/// A layer's closed-form infinite-width transform on image pairs, bound to its input shape. Operations that read the
/// per-position variances (activations, normalisation) get an <see cref="Index"/> and are handed them by the engine
/// before they run: the variances of an image at a layer come from that image paired with itself.
/// </summary>
public abstract class ImageKernelOp
{
    /// <summary>Index into the engine's variance records, or -1 when the operation does not read variances.</summary>
    public int Index { get; internal set; } = -1;

    /// <summary>Whether this operation reads <c>Var1</c>/<c>Var2</c>.</summary>
    public virtual bool NeedsVariances => false;

    /// <summary>Whether this operation (or one nested in it) needs the full position-position covariance.</summary>
    public virtual bool NeedsFullCovariance => false;

    /// <summary>Operations nested in this one (combinators), for numbering.</summary>
    public virtual IEnumerable<ImageKernelOp> Children => [];

    /// <summary>Supplies variances when needed, then applies the transform.</summary>
    public void Run<T>(ImagePairState<T> state, IVarianceSupply supply) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (NeedsVariances) supply.Supply(state, Index);
        Apply(state, supply);
    }

    /// <summary>Transforms the state in place (possibly changing its geometry).</summary>
    protected abstract void Apply<T>(ImagePairState<T> state, IVarianceSupply supply) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>An elementwise layer (activation, Dense over channels, LayerNorm) applied at every position pair.</summary>
internal sealed class ElementwiseImageOp(IFlatKernelOp flat) : ImageKernelOp
{
    /// <summary>The flat transform applied at every position pair.</summary>
    public IFlatKernelOp Flat => flat;

    public override bool NeedsVariances => true;

    protected override void Apply<T>(ImagePairState<T> state, IVarianceSupply supply)
    {
        var block = Blocks<T>.Get();
        state.AttachBlock(block);
        flat.Pairs(block);
        state.NtkIsZero = false; // a Dense over channels adds its NNGP to the NTK
    }

    private static class Blocks<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] private static PairBlock<T>? _block;
        public static PairBlock<T> Get() => _block ??= new PairBlock<T>();
    }
}

/// <summary>Operations applied in order.</summary>
internal sealed class SerialImageOp(IReadOnlyList<ImageKernelOp> ops) : ImageKernelOp
{
    public override bool NeedsFullCovariance => ops.Any(o => o.NeedsFullCovariance);
    public override IEnumerable<ImageKernelOp> Children => ops;

    protected override void Apply<T>(ImagePairState<T> state, IVarianceSupply supply)
    {
        foreach (var op in ops) op.Run(state, supply);
    }
}

/// <summary>Per-thread reusable image states for combinators' branches.</summary>
internal static class ScratchStates<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic] private static Stack<ImagePairState<T>>? _pool;
    public static ImagePairState<T> Rent() => (_pool ??= new()).TryPop(out var s) ? s : new ImagePairState<T>();
    public static void Return(ImagePairState<T> s) => (_pool ??= new()).Push(s);
}
