using System.Runtime.InteropServices;

namespace Tangent.Linalg;

/// <summary>
/// A Fortran INTEGER passed by reference, stored in an 8-byte zero- or sign-extended slot.
/// An LP64 library (32-bit INTEGER, the standard ABI we target) reads the low four bytes, which on a little-endian
/// machine hold the value; an ILP64 build (64-bit INTEGER without renamed symbols) reads all eight and sees the same
/// value instead of garbage. Values handed over must still fit in 32 bits, which the callers check.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 8)]
internal struct FortranInt
{
    private long _value;

    public static implicit operator FortranInt(int value) => new() { _value = value };

    /// <summary>The value the library wrote back (an INFO code), whichever integer width it uses.</summary>
    public readonly int Value => (int)_value;
}
