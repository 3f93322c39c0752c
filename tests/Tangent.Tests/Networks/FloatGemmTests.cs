using Tangent.Linalg;
using Tangent.Tests.Linalg;

namespace Tangent.Tests.Networks;

/// <summary>The float32 GemmNN/GemmTN overloads the finite networks use (Dense backward, Conv forward, weight gradients), against naive sums.</summary>
public class FloatGemmTests
{
    [Theory]
    [InlineData(BackendKind.Native, 37, 19, 23)]
    [InlineData(BackendKind.Native, 200, 61, 300)]
    [InlineData(BackendKind.Managed, 37, 19, 23)]
    [InlineData(BackendKind.Managed, 5, 131, 64)]
    public void Float_products_match_naive_sums(BackendKind kind, int m, int n, int k)
    {
        if (Backends.Get(kind) is not { } be) return;
        var rng = new Random(m + 7 * n + 13 * k);
        float[] R(int len) => Enumerable.Range(0, len).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        float[] a = R(m * k), b = R(k * n), at = R(k * m), c0 = R(m * n);
        var nn = (float[])c0.Clone();
        be.GemmNN(m, n, k, 0.7f, a, b, 0.5f, nn);
        var tn = (float[])c0.Clone();
        be.GemmTN(m, n, k, -1.2f, at, b, 1f, tn);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sNN = 0, sTN = 0;
                for (int p = 0; p < k; p++) { sNN += (double)a[i * k + p] * b[p * n + j]; sTN += (double)at[p * m + i] * b[p * n + j]; }
                Assert.Equal(0.7 * sNN + 0.5 * c0[i * n + j], nn[i * n + j], 1e-4 * Math.Sqrt(k));
                Assert.Equal(-1.2 * sTN + c0[i * n + j], tn[i * n + j], 1e-4 * Math.Sqrt(k));
            }
    }
}
