using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Tangent.Layers;
using Tangent.Numerics;

namespace Tangent.Kernels;

/// <summary>
/// A Dense layer (NTK parameterisation) followed by a ReLU-family activation (<see cref="ABRelu"/>) in one pass over a
/// block: Σ' = W²Σ + b², Θ' = W²Θ + Σ', then the arc-cosine transform, with each entry read and written once instead of
/// twice. The hot loop of every fully connected ReLU kernel; other layer pairs run as they are.
/// </summary>
internal sealed class FusedDenseActivation : IFlatKernelOp
{
    /// <summary>Switch for tests that compare the fused pass with the separate operations.</summary>
    internal static readonly ScopedSwitch Switch = new();

    private readonly Dense.Op _dense;
    private readonly ABRelu _relu;

    private FusedDenseActivation(Dense.Op dense, ABRelu relu) { _dense = dense; _relu = relu; }

    /// <summary>Replaces every Dense (NTK parameterisation) + ReLU-family pair in <paramref name="ops"/> by the fused operation.</summary>
    public static List<IFlatKernelOp> Fuse(List<IFlatKernelOp> ops)
    {
        var fused = new List<IFlatKernelOp>(ops.Count);
        for (int i = 0; i < ops.Count; i++)
        {
            if (i + 1 < ops.Count && ops[i] is Dense.Op { FanIn: 0 } dense && ops[i + 1] is ABRelu relu)
            {
                fused.Add(new FusedDenseActivation(dense, relu));
                i++;
            }
            else fused.Add(ops[i]);
        }
        return fused;
    }

    /// <inheritdoc />
    public void Self(SelfBlock block)
    {
        _dense.Self(block);
        ((IFlatKernelOp)_relu).Self(block);
    }

    /// <inheritdoc />
    public void Pairs<T>(PairBlock<T> block) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Switch.Enabled || !Vector512.IsHardwareAccelerated || block.Zip || block.Cols < Vector512<T>.Count)
        {
            _dense.Pairs(block);
            ((IFlatKernelOp)_relu).Pairs(block);
            return;
        }
        int rows = block.Rows, cols = block.Cols, width = Vector512<T>.Count;
        T w2 = T.CreateTruncating(_dense.W2), b2 = T.CreateTruncating(_dense.B2);
        // The variances after the Dense layer: the activation's inputs.
        var var1 = block.Var1.AsSpan(0, rows);
        var var2 = block.Var2.AsSpan(0, cols);
        Numerics.SpanMath.Affine(var1, w2, b2);
        Numerics.SpanMath.Affine(var2, w2, b2);
        var scratch = PointRoots<T>.Get(Math.Max(rows, cols));
        ABRelu.Roots<T>(var1, scratch.Root1, scratch.Inv1);
        ABRelu.Roots<T>(var2, scratch.Root2, scratch.Inv2);
        var arc = _relu.Vectors<T>();
        var a = Vector512.Create(w2);
        var b = Vector512.Create(b2);
        ref T root2 = ref MemoryMarshal.GetArrayDataReference(scratch.Root2);
        ref T inv2 = ref MemoryMarshal.GetArrayDataReference(scratch.Inv2);
        bool ntk = block.Ntk is not null;
        ref T nngp0 = ref MemoryMarshal.GetArrayDataReference(block.Nngp);
        ref T ntk0 = ref ntk ? ref MemoryMarshal.GetArrayDataReference(block.Ntk!) : ref nngp0;
        // Columns past the last whole vector go through the scalar twins, exactly as the separate operations treat them,
        // so a kernel entry never depends on the tile it falls in.
        int whole = cols - cols % width;
        for (int i = 0; i < rows; i++)
        {
            var r1 = Vector512.Create(scratch.Root1[i] * arc.AbsWeight);
            var i1 = Vector512.Create(scratch.Inv1[i]);
            nuint row = (nuint)(block.Offset + i * block.Stride);
            WholeVectors(ref nngp0, ref ntk0, ntk, row, r1, i1, ref root2, ref inv2, whole, a, b, arc);
            for (int j = whole; j < cols; j++)
            {
                ref T k = ref Unsafe.Add(ref nngp0, row + (nuint)j);
                k = w2 * k + b2;
                var (kNext, tdot) = _relu.Pair(double.CreateTruncating(var1[i]), double.CreateTruncating(var2[j]), double.CreateTruncating(k));
                if (ntk)
                {
                    ref T t = ref Unsafe.Add(ref ntk0, row + (nuint)j);
                    t = w2 * t + k;
                    t = T.CreateTruncating(tdot * double.CreateTruncating(t));
                }
                k = T.CreateTruncating(kNext);
            }
        }
        _relu.UpdateVariances(block);
    }

    /// <summary>
    /// The whole vectors of a row, two at a time through the transform (see <see cref="Pack2{T}"/>), then the odd one. A
    /// method of its own for its own inlining budget: inside the caller the pair's operations were left as calls.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WholeVectors<T>(ref T nngp, ref T ntkRef, bool ntk, nuint row, Vector512<T> r1, Vector512<T> i1,
        ref T root2, ref T inv2, int whole, Vector512<T> a, Vector512<T> b, ArcCosineVectors<T> arc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count, j = 0;
        for (; j + 2 * width <= whole; j += 2 * width)
            Entry<T, Pack2<T>>(ref nngp, ref ntkRef, ntk, row + (nuint)j, r1, i1, ref root2, ref inv2, j, a, b, arc);
        for (; j < whole; j += width)
            OddEntry(ref nngp, ref ntkRef, ntk, row + (nuint)j, r1, i1, ref root2, ref inv2, j, a, b, arc);
    }

    /// <summary>The odd vector of a row, after the pairs: not inlined, so that its transform inlines into it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OddEntry<T>(ref T nngp, ref T ntkRef, bool ntk, nuint at, Vector512<T> r1, Vector512<T> i1,
        ref T root2, ref T inv2, int j, Vector512<T> a, Vector512<T> b, ArcCosineVectors<T> arc) where T : unmanaged, IFloatingPointIeee754<T> =>
        Entry<T, Pack1<T>>(ref nngp, ref ntkRef, ntk, at, r1, i1, ref root2, ref inv2, j, a, b, arc);

    /// <summary>Dense + activation for the vectors of a row at <paramref name="at"/> (columns from j): one or two at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Entry<T, TV>(ref T nngp, ref T ntkRef, bool ntk, nuint at, Vector512<T> r1, Vector512<T> i1,
        ref T root2, ref T inv2, int j, Vector512<T> a, Vector512<T> b, ArcCosineVectors<T> arc)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, IVectorPack<TV, T>
    {
        nuint width = (nuint)Vector512<T>.Count, column = (nuint)j;
        var wa = TV.Splat(a);
        // Unfused multiply-adds, exactly as the separate Dense transform rounds them.
        var k = wa * TV.Load(ref nngp, at, width) + TV.Splat(b);
        var r = TV.Splat(r1) * TV.Load(ref root2, column, width);
        var inv = TV.Splat(i1) * TV.Load(ref inv2, column, width);
        arc.Apply(k, r, inv, out var tdot).Store(ref nngp, at, width);
        if (ntk) ((wa * TV.Load(ref ntkRef, at, width) + k) * tdot).Store(ref ntkRef, at, width);
    }
}
