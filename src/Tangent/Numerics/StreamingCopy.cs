using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tangent.Numerics;

/// <summary>
/// Copies into memory that will not be read again soon (a large result matrix) with non-temporal stores, which write
/// whole cache lines to memory without first reading them in: on a machine whose memory bandwidth bounds a pass, this
/// halves the traffic of the writes. Where AVX-512 is missing, an ordinary copy.
/// </summary>
public static class StreamingCopy
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="target"/> (same length). The cache-line-aligned middle of the
    /// target is streamed; its ragged ends are stored normally. Call <see cref="Fence"/> before another thread may read
    /// the target.
    /// </summary>
    public static unsafe void Copy<T>(ReadOnlySpan<T> source, Span<T> target) where T : unmanaged
    {
        if (source.Length != target.Length) throw new ArgumentException("source and target lengths differ");
        var from = MemoryMarshal.AsBytes(source);
        var to = MemoryMarshal.AsBytes(target);
        if (!Avx512F.IsSupported || to.Length < 2 * Vector512<byte>.Count)
        {
            from.CopyTo(to);
            return;
        }
        ref byte src = ref MemoryMarshal.GetReference(from);
        // Pinned: the aligned stores fault on an address the GC has moved off its 64-byte boundary.
        fixed (byte* pd = to)
        {
            int head = (int)((64 - ((nuint)pd & 63)) & 63);
            from[..head].CopyTo(to[..head]);
            int i = head;
            for (; i + 64 <= to.Length; i += 64)
                Avx512F.StoreAlignedNonTemporal((double*)(pd + i), Vector512.LoadUnsafe(ref src, (nuint)i).AsDouble());
            from[i..].CopyTo(to[i..]);
        }
    }

    /// <summary>Orders the streamed stores before whatever follows (they are weakly ordered).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Fence()
    {
        if (Sse.IsSupported) Sse.StoreFence();
    }
}
