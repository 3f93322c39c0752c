namespace Tangent.Linalg;

/// <summary>
/// Block sizes of the managed GEMM. KC: one B micro-panel (KC x NR) takes half of a 48 KiB L1 (measured: the
/// kernel runs at ~90% of peak with KC x NR = 24 KiB and at ~50% with 48 KiB). MC: the packed A block (MC x KC)
/// takes a few hundred KiB of L2. NC: the packed B slice (KC x NC) a few MiB of L3, wide enough to amortise packing A.
/// </summary>
internal readonly record struct Blocking(int MC, int NC, int KC, int NR)
{
    public static Blocking For(int vectorWidth, int elementSize)
    {
        int nr = GemmMicroKernel.NV * vectorWidth;
        int kc = Math.Clamp(24 * 1024 / (nr * elementSize), 64, 512) & ~7;
        int mc = 192;
        int nc = nr * Math.Max(1, 3072 / nr);
        return new Blocking(mc, nc, kc, nr);
    }
}
