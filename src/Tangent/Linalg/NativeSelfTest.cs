namespace Tangent.Linalg;

/// <summary>
/// A few microseconds of arithmetic with exactly representable answers, run once on a freshly loaded library.
/// It catches libraries whose ABI differs from the one we call (different integer width, f2c-style conventions),
/// which would otherwise produce silently wrong numbers.
/// </summary>
internal static class NativeSelfTest
{
    /// <summary>Null when all checks pass, else what failed.</summary>
    public static string? Run(ILinearAlgebraBackend backend)
    {
        // A (2 x 3), B (2 x 3): A B^T = [[1*1+2*0+3*1, 1*2+2*1+3*0], [4*1+5*0+6*1, 4*2+5*1+6*0]] = [[4, 4], [10, 13]].
        double[] a = [1, 2, 3, 4, 5, 6], b = [1, 0, 1, 2, 1, 0], c = new double[4];
        backend.GemmNT(2, 2, 3, 1.0, a, b, 0.0, c);
        if (!c.AsSpan().SequenceEqual([4.0, 4, 10, 13])) return "dgemm_";

        float[] af = [1, 2, 3, 4, 5, 6], bf = [1, 0, 1, 2, 1, 0], cf = new float[4];
        backend.GemmNT(2, 2, 3, 1f, af, bf, 0f, cf);
        if (!cf.AsSpan().SequenceEqual([4f, 4, 10, 13])) return "sgemm_";

        // A A^T = [[14, 32], [32, 77]]; only the upper triangle is promised.
        backend.SyrkUpper(2, 3, 1.0, a, c);
        if (c[0] != 14 || c[1] != 32 || c[3] != 77) return "dsyrk_";

        // [[4, 2], [2, 5]] = L L^T with L = [[2, 0], [1, 2]].
        double[] spd = [4, double.NaN, 2, 5];
        if (!backend.TryCholesky(2, spd) || !spd.AsSpan().SequenceEqual([2.0, 0, 1, 2])) return "dpotrf_";
        return null;
    }
}
