using System.Runtime.CompilerServices;

namespace Tangent.Linalg;

/// <summary>
/// Pinned, 64-byte aligned buffers (vector loads then never straddle cache lines), kept per thread for the thread's
/// lifetime: a product would otherwise allocate megabytes per call.
/// </summary>
internal sealed unsafe class Scratch<T> where T : unmanaged
{
    [ThreadStatic] private static Scratch<T>? t_current;

    private readonly T[] _storage;   // never read: holds the pinned array alive while the pointers below are used
    private readonly Blocking _shape;
    /// <summary>Packed A block (MC x KC) and the ragged-edge micro-tile (MR x NR).</summary>
    public readonly T* A, Edge;

    private Scratch(Blocking shape)
    {
        _shape = shape;
        _storage = AlignedBuffer.Allocate<T>(shape.MC * shape.KC + GemmMicroKernel.MR * shape.NR + 64, out var p);
        A = p;
        Edge = AlignedBuffer.Align(A + shape.MC * shape.KC);
    }

    public static Scratch<T> Get(Blocking shape)
    {
        var s = t_current;
        if (s is null || s._shape != shape) t_current = s = new Scratch<T>(shape);
        return s;
    }
}

/// <summary>The packed B slice (KC x NC), one per calling thread: concurrent products on different threads do not share it.</summary>
internal static unsafe class SharedB<T> where T : unmanaged
{
    [ThreadStatic] private static T[]? t_storage;
    [ThreadStatic] private static nint t_aligned;

    public static T* Get(Blocking shape)
    {
        int need = shape.KC * shape.NC;
        if (t_storage is null || t_storage.Length < need + 64)
        {
            t_storage = AlignedBuffer.Allocate<T>(need, out var p);
            t_aligned = (nint)p;
        }
        return (T*)t_aligned;
    }
}

internal static unsafe class AlignedBuffer
{
    /// <summary>A pinned array with room for <paramref name="length"/> elements from a 64-byte aligned start.</summary>
    public static T[] Allocate<T>(int length, out T* aligned) where T : unmanaged
    {
        var storage = GC.AllocateUninitializedArray<T>(length + 64, pinned: true);
        aligned = Align((T*)Unsafe.AsPointer(ref storage[0]));
        return storage;
    }

    public static T* Align<T>(T* p) where T : unmanaged => (T*)(((nint)p + 63) & ~(nint)63);
}
