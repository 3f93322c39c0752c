using System.Numerics;
using System.Runtime.Intrinsics;

namespace Tangent.Numerics;

/// <summary>Small fused span operations that TensorPrimitives lacks in generic form (scalar-scalar affine maps).</summary>
public static class SpanMath
{
    /// <summary>x ← a·x + b.</summary>
    public static void Affine<T>(Span<T> x, T a, T b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            var vb = Vector512.Create(b);
            for (; i <= x.Length - Vector512<T>.Count; i += Vector512<T>.Count)
                (va * Vector512.Create<T>(x.Slice(i, Vector512<T>.Count)) + vb).CopyTo(x.Slice(i, Vector512<T>.Count));
        }
        for (; i < x.Length; i++) x[i] = a * x[i] + b;
    }

    /// <summary>y ← a·y + x.</summary>
    public static void ScaleAdd<T>(Span<T> y, T a, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            for (; i <= y.Length - Vector512<T>.Count; i += Vector512<T>.Count)
                (va * Vector512.Create<T>(y.Slice(i, Vector512<T>.Count)) + Vector512.Create<T>(x.Slice(i, Vector512<T>.Count))).CopyTo(y.Slice(i, Vector512<T>.Count));
        }
        for (; i < y.Length; i++) y[i] = a * y[i] + x[i];
    }
}
