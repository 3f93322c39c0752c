using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tangent.Numerics;

/// <summary>
/// The lanes a vectorised elementary function works on as one value: one vector (<see cref="Pack1{T}"/>) or two
/// independent vectors (<see cref="Pack2{T}"/>). Functions written once over this interface compile, for two vectors,
/// to the two computations' instructions alternating: the arc-cosine transform is one long dependency chain per
/// vector, and one vector at a time this core ran it at about one operation per cycle, its out-of-order window full of
/// operations waiting on their predecessors; two chains side by side ran 1.5–1.75× as fast on independent data
/// (float64 and float32, measured; less inside the kernel loops, where the pair competes for registers).
/// </summary>
internal interface IVectorPack<TSelf, T>
    where TSelf : struct, IVectorPack<TSelf, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The vector in every slot.</summary>
    static abstract TSelf Splat(Vector512<T> v);
    /// <summary>The vectors at <paramref name="at"/>, at + <paramref name="step"/>, … (one per slot).</summary>
    static abstract TSelf Load(ref T source, nuint at, nuint step);
    /// <summary>Stores the slots where <see cref="Load"/> reads them.</summary>
    void Store(ref T target, nuint at, nuint step);
    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, TSelf b);
    /// <summary>a·b + c in one rounding.</summary>
    static abstract TSelf Fma(TSelf a, TSelf b, TSelf c);
    /// <summary>a·b − c in one rounding.</summary>
    static abstract TSelf Fms(TSelf a, TSelf b, TSelf c);
    /// <summary>
    /// Per lane, <paramref name="ifAbove"/> where x &gt; <paramref name="threshold"/>, else <paramref name="otherwise"/>. The
    /// comparison is part of the operation, not a value of the pack: a mask kept in a pack's fields was turned into a
    /// vector and back at every use (two operations each), where a comparison feeding its select stays a mask register.
    /// </summary>
    static abstract TSelf SelectAbove(TSelf x, TSelf threshold, TSelf ifAbove, TSelf otherwise);
    /// <summary>Per lane, <paramref name="ifAtMost"/> where x ≤ <paramref name="threshold"/>, else <paramref name="otherwise"/> (NaN: otherwise).</summary>
    static abstract TSelf SelectAtMost(TSelf x, TSelf threshold, TSelf ifAtMost, TSelf otherwise);
    static abstract TSelf Abs(TSelf x);
    /// <summary>1/√x to about 14 bits.</summary>
    static abstract TSelf ReciprocalSqrtEstimate(TSelf x);
    static abstract TSelf CopySign(TSelf value, TSelf sign);
}

/// <summary>One vector as an <see cref="IVectorPack{TSelf, T}"/>.</summary>
internal readonly struct Pack1<T>(Vector512<T> v) : IVectorPack<Pack1<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly Vector512<T> V = v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack1<T> Splat(Vector512<T> v) => new(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack1<T> Load(ref T source, nuint at, nuint step) => new(Vector512.LoadUnsafe(ref source, at));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref T target, nuint at, nuint step) => V.StoreUnsafe(ref target, at);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack1<T> operator +(Pack1<T> a, Pack1<T> b) => new(a.V + b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack1<T> operator *(Pack1<T> a, Pack1<T> b) => new(a.V * b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack1<T> Fma(Pack1<T> a, Pack1<T> b, Pack1<T> c) => new(VectorMath.Fma(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack1<T> Fms(Pack1<T> a, Pack1<T> b, Pack1<T> c) => new(VectorOps.Fms(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack1<T> SelectAbove(Pack1<T> x, Pack1<T> threshold, Pack1<T> ifAbove, Pack1<T> otherwise) =>
        new(VectorMath.Select(Vector512.GreaterThan(x.V, threshold.V), ifAbove.V, otherwise.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack1<T> SelectAtMost(Pack1<T> x, Pack1<T> threshold, Pack1<T> ifAtMost, Pack1<T> otherwise) =>
        new(VectorMath.Select(Vector512.LessThanOrEqual(x.V, threshold.V), ifAtMost.V, otherwise.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack1<T> Abs(Pack1<T> x) => new(Vector512.Abs(x.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack1<T> ReciprocalSqrtEstimate(Pack1<T> x) => new(VectorOps.ReciprocalSqrtEstimate(x.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack1<T> CopySign(Pack1<T> value, Pack1<T> sign) => new(Vector512.CopySign(value.V, sign.V));
}

/// <summary>Two independent vectors as an <see cref="IVectorPack{TSelf, T}"/>: every operation is done on both, back to back.</summary>
internal readonly struct Pack2<T>(Vector512<T> a, Vector512<T> b) : IVectorPack<Pack2<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly Vector512<T> A = a, B = b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack2<T> Splat(Vector512<T> v) => new(v, v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack2<T> Load(ref T source, nuint at, nuint step) =>
        new(Vector512.LoadUnsafe(ref source, at), Vector512.LoadUnsafe(ref source, at + step));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref T target, nuint at, nuint step)
    {
        A.StoreUnsafe(ref target, at);
        B.StoreUnsafe(ref target, at + step);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack2<T> operator +(Pack2<T> x, Pack2<T> y) => new(x.A + y.A, x.B + y.B);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack2<T> operator *(Pack2<T> x, Pack2<T> y) => new(x.A * y.A, x.B * y.B);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack2<T> Fma(Pack2<T> x, Pack2<T> y, Pack2<T> z) => new(VectorMath.Fma(x.A, y.A, z.A), VectorMath.Fma(x.B, y.B, z.B));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack2<T> Fms(Pack2<T> x, Pack2<T> y, Pack2<T> z) => new(VectorOps.Fms(x.A, y.A, z.A), VectorOps.Fms(x.B, y.B, z.B));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack2<T> SelectAbove(Pack2<T> x, Pack2<T> threshold, Pack2<T> ifAbove, Pack2<T> otherwise) =>
        new(VectorMath.Select(Vector512.GreaterThan(x.A, threshold.A), ifAbove.A, otherwise.A),
            VectorMath.Select(Vector512.GreaterThan(x.B, threshold.B), ifAbove.B, otherwise.B));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack2<T> SelectAtMost(Pack2<T> x, Pack2<T> threshold, Pack2<T> ifAtMost, Pack2<T> otherwise) =>
        new(VectorMath.Select(Vector512.LessThanOrEqual(x.A, threshold.A), ifAtMost.A, otherwise.A),
            VectorMath.Select(Vector512.LessThanOrEqual(x.B, threshold.B), ifAtMost.B, otherwise.B));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack2<T> Abs(Pack2<T> x) => new(Vector512.Abs(x.A), Vector512.Abs(x.B));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack2<T> ReciprocalSqrtEstimate(Pack2<T> x) => new(VectorOps.ReciprocalSqrtEstimate(x.A), VectorOps.ReciprocalSqrtEstimate(x.B));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pack2<T> CopySign(Pack2<T> value, Pack2<T> sign) => new(Vector512.CopySign(value.A, sign.A), Vector512.CopySign(value.B, sign.B));
}

/// <summary>The single-vector operations the packs are made of, for float32 and float64 lanes.</summary>
internal static class VectorOps
{
    /// <summary>a·b − c in one rounding (one instruction where a negation and a multiply-add would be two).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fms<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Avx512F.IsSupported)
        {
            if (typeof(T) == typeof(double)) return Avx512F.FusedMultiplySubtract(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            if (typeof(T) == typeof(float)) return Avx512F.FusedMultiplySubtract(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }
        return VectorMath.Fma(a, b, -c);
    }

    /// <summary>1/√x to about 14 bits: AVX-512's estimate instruction where present, else exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ReciprocalSqrtEstimate<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Avx512F.IsSupported)
        {
            if (typeof(T) == typeof(double)) return Avx512F.ReciprocalSqrt14(x.AsDouble()).As<double, T>();
            if (typeof(T) == typeof(float)) return Avx512F.ReciprocalSqrt14(x.AsSingle()).As<float, T>();
        }
        return Vector512<T>.One / Vector512.Sqrt(x);
    }
}
