using Tangent.Linalg;

namespace Tangent.Tests.Linalg;

/// <summary>The one-thread pin of the native BLAS, on which the reproducibility of sharded tiles rests.</summary>
public class NativeThreadPinTests
{
    [Fact]
    public void A_thread_count_set_while_pinned_waits_for_the_release()
    {
        var native = LinearAlgebra.Native;
        if (native is null) return; // nothing to pin without a native library (CI installs OpenBLAS)
        // OpenBLAS splits this SYRK between threads and then rounds some entries differently (seen: 67 of them).
        const int n = 150, k = 6;
        var rng = new Random(11);
        var x = new double[n * k];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() - 0.5;
        var pinned = new double[n * n];
        var afterSet = new double[n * n];
        try
        {
            using (LinearAlgebra.PinNativeToOneThread())
            {
                native.SyrkUpper(n, k, 1.0 / k, x, pinned);
                LinearAlgebra.SetNativeThreads(Math.Max(2, Environment.ProcessorCount));
                native.SyrkUpper(n, k, 1.0 / k, x, afterSet);
            }
            Assert.Equal(pinned, afterSet);
        }
        finally { LinearAlgebra.SetNativeThreads(Environment.ProcessorCount); }
    }
}
