using System.Numerics;
namespace Tangent.Linalg;
internal static class LinearAlgebra
{
    public static Stub Current { get; } = new();
    internal sealed class Stub
    {
        public void SyrkUpper<T>(int n, int k, T alpha, ReadOnlySpan<T> a, Span<T> c) where T : unmanaged, IFloatingPointIeee754<T>
        { for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { T s = T.Zero; for (int l = 0; l < k; l++) s += a[i * k + l] * a[j * k + l]; c[i * n + j] = alpha * s; } }
        public void GemmNT<T>(int m, int n, int k, T alpha, ReadOnlySpan<T> a, ReadOnlySpan<T> b, T beta, Span<T> c) where T : unmanaged, IFloatingPointIeee754<T>
        { for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) { T s = T.Zero; for (int l = 0; l < k; l++) s += a[i * k + l] * b[j * k + l]; c[i * n + j] = alpha * s + beta * c[i * n + j]; } }
    }
}
