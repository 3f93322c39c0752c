namespace Tangent.IO;

/// <summary>
/// One tensor of a .safetensors file: its name, element type as the file stores it (<c>F64</c>, <c>F32</c>, <c>F16</c>,
/// <c>BF16</c>), shape, and values widened to <see cref="double"/> in C (row-major) order.
/// </summary>
public sealed record SafetensorsTensor(string Name, string DType, int[] Shape, double[] Data)
{
    /// <summary>The shape as people write it, e.g. <c>[16, 5]</c>.</summary>
    public string ShapeText => IO.ShapeText.Format(Shape);
}
