using System.Numerics;
using System.Runtime.InteropServices;

namespace Tangent.Linalg;

/// <summary>
/// Generic entry points over <see cref="ILinearAlgebraBackend"/>'s float64 and float32 overloads, for code written once
/// for both precisions. The type tests are JIT-time constants, so the dispatch costs nothing.
/// </summary>
public static class GenericBlas
{
    /// <summary>C = alpha·A·Aᵀ (upper triangle at least), A n x k, row-major.</summary>
    public static void SyrkUpper<T>(this ILinearAlgebraBackend la, int n, int k, T alpha, ReadOnlySpan<T> a, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) la.SyrkUpper(n, k, double.CreateTruncating(alpha), MemoryMarshal.Cast<T, double>(a), MemoryMarshal.Cast<T, double>(c));
        else if (typeof(T) == typeof(float)) la.SyrkUpper(n, k, float.CreateTruncating(alpha), MemoryMarshal.Cast<T, float>(a), MemoryMarshal.Cast<T, float>(c));
        else throw new NotSupportedException($"BLAS works on float64 and float32, not {typeof(T).Name}");
    }

    /// <summary>C = alpha·A·Bᵀ + beta·C, A m x k, B n x k, row-major.</summary>
    public static void GemmNT<T>(this ILinearAlgebraBackend la, int m, int n, int k, T alpha, ReadOnlySpan<T> a, ReadOnlySpan<T> b, T beta, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
            la.GemmNT(m, n, k, double.CreateTruncating(alpha), MemoryMarshal.Cast<T, double>(a), MemoryMarshal.Cast<T, double>(b), double.CreateTruncating(beta), MemoryMarshal.Cast<T, double>(c));
        else if (typeof(T) == typeof(float))
            la.GemmNT(m, n, k, float.CreateTruncating(alpha), MemoryMarshal.Cast<T, float>(a), MemoryMarshal.Cast<T, float>(b), float.CreateTruncating(beta), MemoryMarshal.Cast<T, float>(c));
        else throw new NotSupportedException($"BLAS works on float64 and float32, not {typeof(T).Name}");
    }

    /// <summary>C = alpha·A·B + beta·C, A m x k, B k x n, row-major.</summary>
    public static void GemmNN<T>(this ILinearAlgebraBackend la, int m, int n, int k, T alpha, ReadOnlySpan<T> a, ReadOnlySpan<T> b, T beta, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
            la.GemmNN(m, n, k, double.CreateTruncating(alpha), MemoryMarshal.Cast<T, double>(a), MemoryMarshal.Cast<T, double>(b), double.CreateTruncating(beta), MemoryMarshal.Cast<T, double>(c));
        else if (typeof(T) == typeof(float))
            la.GemmNN(m, n, k, float.CreateTruncating(alpha), MemoryMarshal.Cast<T, float>(a), MemoryMarshal.Cast<T, float>(b), float.CreateTruncating(beta), MemoryMarshal.Cast<T, float>(c));
        else throw new NotSupportedException($"BLAS works on float64 and float32, not {typeof(T).Name}");
    }

    /// <summary>C = alpha·Aᵀ·B + beta·C, A k x m, B k x n, row-major.</summary>
    public static void GemmTN<T>(this ILinearAlgebraBackend la, int m, int n, int k, T alpha, ReadOnlySpan<T> a, ReadOnlySpan<T> b, T beta, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
            la.GemmTN(m, n, k, double.CreateTruncating(alpha), MemoryMarshal.Cast<T, double>(a), MemoryMarshal.Cast<T, double>(b), double.CreateTruncating(beta), MemoryMarshal.Cast<T, double>(c));
        else if (typeof(T) == typeof(float))
            la.GemmTN(m, n, k, float.CreateTruncating(alpha), MemoryMarshal.Cast<T, float>(a), MemoryMarshal.Cast<T, float>(b), float.CreateTruncating(beta), MemoryMarshal.Cast<T, float>(c));
        else throw new NotSupportedException($"BLAS works on float64 and float32, not {typeof(T).Name}");
    }
}
