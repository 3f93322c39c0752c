namespace Tangent.IO;

/// <summary>
/// The element type an array had in its source file. Tangent computes in <see cref="double"/> whatever the
/// source, so this only records where the numbers came from (for messages, and so a caller can tell that
/// integer labels arrived as integers).
/// </summary>
public enum ElementType
{
    /// <summary>IEEE 754 binary64 (numpy <c>f8</c>).</summary>
    Float64,
    /// <summary>IEEE 754 binary32 (numpy <c>f4</c>).</summary>
    Float32,
    /// <summary>Signed 64-bit integer (numpy <c>i8</c>).</summary>
    Int64,
    /// <summary>Signed 32-bit integer (numpy <c>i4</c>).</summary>
    Int32,
    /// <summary>Signed 16-bit integer (numpy <c>i2</c>).</summary>
    Int16,
    /// <summary>Unsigned 8-bit integer (numpy <c>u1</c>).</summary>
    UInt8,
    /// <summary>Signed 8-bit integer (numpy <c>i1</c>).</summary>
    Int8,
    /// <summary>Boolean stored as one byte, read as 0 or 1 (numpy <c>b1</c>).</summary>
    Bool,
}
