using Xunit;
using Tangent.Linalg;

namespace Tangent.Tests.Linalg;

/// <summary>
/// SYRK and the GEMM variants against naive loops, on shapes chosen to hit every edge of the managed blocking
/// (ragged micro-tiles, several KC slices, several MC row blocks, several NC column blocks, the parallel path)
/// and the row-/column-major transposition of the native calls (non-square, all three dimensions distinct).
/// </summary>
public class GemmTests
{
    // (m, n, k): tiny, odd, > MC rows, > KC depth, > NC columns, a single row, a single column.
    public static TheoryData<BackendKind, int, int, int> Shapes()
    {
        var data = new TheoryData<BackendKind, int, int, int>();
        foreach (var kind in new[] { BackendKind.Native, BackendKind.Managed })
            foreach (var (m, n, k) in new[] { (1, 1, 1), (37, 19, 23), (19, 37, 5), (200, 61, 300), (5, 3100, 131), (1, 517, 64), (333, 1, 129) })
                data.Add(kind, m, n, k);
        return data;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void GemmNT_double_matches_naive(BackendKind kind, int m, int n, int k)
    {
        if (Backends.Get(kind) is not { } be) return;
        var rng = new Random(m * 7919 + n * 31 + k);
        double[] a = Reference.Random(rng, m, k), b = Reference.Random(rng, n, k), c0 = Reference.Random(rng, m, n);
        foreach (var (alpha, beta) in new[] { (1.0, 0.0), (0.7, 1.0), (-1.3, -0.5) })
        {
            var c = beta == 0 ? Filled(m * n, double.NaN) : (double[])c0.Clone();   // beta = 0: C must not be read
            be.GemmNT(m, n, k, alpha, a, b, beta, c);
            var (expect, mag) = Reference.Gemm(m, n, k, alpha, (i, p) => a[i * k + p], (p, j) => b[j * k + p], beta, c0);
            Reference.AssertClose(c, expect, mag, k, Reference.EpsDouble);
        }
    }

    [Theory, MemberData(nameof(Shapes))]
    public void GemmNT_float_matches_naive(BackendKind kind, int m, int n, int k)
    {
        if (Backends.Get(kind) is not { } be) return;
        var rng = new Random(m * 7919 + n * 31 + k + 1);
        float[] a = Reference.ToFloat(Reference.Random(rng, m, k)), b = Reference.ToFloat(Reference.Random(rng, n, k));
        float[] c0 = Reference.ToFloat(Reference.Random(rng, m, n));
        foreach (var (alpha, beta) in new[] { (1f, 0f), (0.75f, 1f), (-1.25f, -0.5f) })
        {
            var c = beta == 0 ? Filled(m * n, float.NaN) : (float[])c0.Clone();
            be.GemmNT(m, n, k, alpha, a, b, beta, c);
            var (expect, mag) = Reference.Gemm(m, n, k, alpha, (i, p) => a[i * k + p], (p, j) => b[j * k + p], beta, Reference.ToDouble(c0));
            Reference.AssertClose(Reference.ToDouble(c), expect, mag, k, Reference.EpsFloat);
        }
    }

    [Theory, MemberData(nameof(Shapes))]
    public void GemmNN_matches_naive(BackendKind kind, int m, int n, int k)
    {
        if (Backends.Get(kind) is not { } be) return;
        var rng = new Random(m * 7919 + n * 31 + k + 2);
        double[] a = Reference.Random(rng, m, k), b = Reference.Random(rng, k, n), c0 = Reference.Random(rng, m, n);
        foreach (var (alpha, beta) in new[] { (1.0, 0.0), (-0.3, 2.0) })
        {
            var c = beta == 0 ? Filled(m * n, double.NaN) : (double[])c0.Clone();
            be.GemmNN(m, n, k, alpha, a, b, beta, c);
            var (expect, mag) = Reference.Gemm(m, n, k, alpha, (i, p) => a[i * k + p], (p, j) => b[p * n + j], beta, c0);
            Reference.AssertClose(c, expect, mag, k, Reference.EpsDouble);
        }
    }

    [Theory, MemberData(nameof(Shapes))]
    public void GemmTN_matches_naive(BackendKind kind, int m, int n, int k)
    {
        if (Backends.Get(kind) is not { } be) return;
        var rng = new Random(m * 7919 + n * 31 + k + 3);
        double[] a = Reference.Random(rng, k, m), b = Reference.Random(rng, k, n), c0 = Reference.Random(rng, m, n);
        foreach (var (alpha, beta) in new[] { (1.0, 0.0), (0.5, 1.0) })
        {
            var c = beta == 0 ? Filled(m * n, double.NaN) : (double[])c0.Clone();
            be.GemmTN(m, n, k, alpha, a, b, beta, c);
            var (expect, mag) = Reference.Gemm(m, n, k, alpha, (i, p) => a[p * m + i], (p, j) => b[p * n + j], beta, c0);
            Reference.AssertClose(c, expect, mag, k, Reference.EpsDouble);
        }
    }

    // (n, k): odd, n > MC so the diagonal crosses row blocks, k > KC, n > NC.
    public static TheoryData<BackendKind, int, int> SyrkShapes()
    {
        var data = new TheoryData<BackendKind, int, int>();
        foreach (var kind in new[] { BackendKind.Native, BackendKind.Managed })
            foreach (var (n, k) in new[] { (1, 1), (37, 19), (19, 37), (301, 257), (3200, 9) })
                data.Add(kind, n, k);
        return data;
    }

    [Theory, MemberData(nameof(SyrkShapes))]
    public void SyrkUpper_double_matches_naive_on_upper_triangle(BackendKind kind, int n, int k)
    {
        if (Backends.Get(kind) is not { } be) return;
        var rng = new Random(n * 131 + k);
        var a = Reference.Random(rng, n, k);
        var c = Filled(n * n, double.NaN);                       // SYRK overwrites: old contents are never read
        be.SyrkUpper(n, k, 0.75, a, c);
        var (expect, mag) = Reference.Gemm(n, n, k, 0.75, (i, p) => a[i * k + p], (p, j) => a[j * k + p], 0, null);
        Reference.AssertClose(c, expect, mag, k, Reference.EpsDouble, include: idx => idx % n >= idx / n);
    }

    [Theory, MemberData(nameof(SyrkShapes))]
    public void SyrkUpper_float_matches_naive_on_upper_triangle(BackendKind kind, int n, int k)
    {
        if (Backends.Get(kind) is not { } be) return;
        var rng = new Random(n * 131 + k + 1);
        var a = Reference.ToFloat(Reference.Random(rng, n, k));
        var c = Filled(n * n, float.NaN);
        be.SyrkUpper(n, k, -1.5f, a, c);
        var (expect, mag) = Reference.Gemm(n, n, k, -1.5, (i, p) => a[i * k + p], (p, j) => a[j * k + p], 0, null);
        Reference.AssertClose(Reference.ToDouble(c), expect, mag, k, Reference.EpsFloat, include: idx => idx % n >= idx / n);
    }

    [Theory, MemberData(nameof(Backends.Kinds), MemberType = typeof(Backends))]
    public void Empty_inner_dimension_scales_C_by_beta(BackendKind kind)
    {
        if (Backends.Get(kind) is not { } be) return;
        double[] c = [1, 2, 3, 4, 5, 6];
        be.GemmNT(2, 3, 0, 1.0, [], [], 2.0, c);
        Assert.Equal([2.0, 4, 6, 8, 10, 12], c);
        c = Filled(6, double.NaN);
        be.GemmNN(2, 3, 0, 1.0, [], [], 0.0, c);
        Assert.All(c, x => Assert.Equal(0.0, x));
        var s = Filled(9, double.NaN);
        be.SyrkUpper(3, 0, 1.0, [], s);
        for (int i = 0; i < 3; i++)
            for (int j = i; j < 3; j++)
                Assert.Equal(0.0, s[i * 3 + j]);
    }

    [Theory, MemberData(nameof(Backends.Kinds), MemberType = typeof(Backends))]
    public void Bad_arguments_are_rejected_before_any_work(BackendKind kind)
    {
        if (Backends.Get(kind) is not { } be) return;
        var buf = new double[12];
        Assert.Throws<ArgumentOutOfRangeException>(() => be.GemmNT(-1, 2, 2, 1.0, buf, buf, 0.0, buf));
        Assert.Throws<ArgumentException>(() => be.GemmNT(3, 3, 2, 1.0, buf, buf, 0.0, new double[8]));  // C needs 9
        Assert.Throws<ArgumentException>(() => be.GemmNN(2, 2, 7, 1.0, buf, buf, 0.0, buf));           // A needs 14
        Assert.Throws<ArgumentException>(() => be.GemmTN(2, 7, 2, 1.0, buf, buf, 0.0, new double[14])); // B needs 14
        Assert.Throws<ArgumentException>(() => be.SyrkUpper(4, 4, 1.0, buf, new double[16]));          // A needs 16
        Assert.Throws<ArgumentException>(() => be.SyrkUpper(2, 2, 1f, new float[4], new float[3]));     // C needs 4
    }

    [Theory, MemberData(nameof(Backends.Kinds), MemberType = typeof(Backends))]
    public void Longer_spans_than_needed_are_accepted_and_the_tail_untouched(BackendKind kind)
    {
        if (Backends.Get(kind) is not { } be) return;
        double[] a = [1, 2, 3, 4], b = [5, 6, 7, 8];
        var c = Filled(6, -7.0);
        be.GemmNN(2, 2, 2, 1.0, a, b, 0.0, c);                   // [[1,2],[3,4]] [[5,6],[7,8]]
        Assert.Equal([19.0, 22, 43, 50, -7, -7], c);
    }

    [Theory, MemberData(nameof(Backends.Kinds), MemberType = typeof(Backends))]
    public void Concurrent_products_from_several_threads_do_not_interfere(BackendKind kind)
    {
        // The managed product keeps per-thread packing buffers; several callers at once (each itself parallel)
        // must each get their own answer.
        if (Backends.Get(kind) is not { } be) return;
        const int m = 150, n = 170, k = 140, callers = 6;
        var results = new double[callers][];
        var inputs = Enumerable.Range(0, callers).Select(t =>
        {
            var rng = new Random(100 + t);
            return (A: Reference.Random(rng, m, k), B: Reference.Random(rng, n, k));
        }).ToArray();
        Parallel.For(0, callers, new ParallelOptions { MaxDegreeOfParallelism = callers }, t =>
        {
            var c = new double[m * n];
            for (int rep = 0; rep < 3; rep++) be.GemmNT(m, n, k, 1.0, inputs[t].A, inputs[t].B, 0.0, c);
            results[t] = c;
        });
        for (int t = 0; t < callers; t++)
        {
            var (a, b) = inputs[t];
            var (expect, mag) = Reference.Gemm(m, n, k, 1.0, (i, p) => a[i * k + p], (p, j) => b[j * k + p], 0, null);
            Reference.AssertClose(results[t], expect, mag, k, Reference.EpsDouble);
        }
    }

    private static T[] Filled<T>(int length, T value)
    {
        var x = new T[length];
        Array.Fill(x, value);
        return x;
    }
}
