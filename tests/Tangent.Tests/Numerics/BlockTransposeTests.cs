using Tangent.Numerics;

namespace Tangent.Tests.Numerics;

public class BlockTransposeTests
{
    [Theory]
    [InlineData(8, 8), InlineData(16, 24), InlineData(13, 9), InlineData(128, 128), InlineData(3, 17)]
    public void TransposesBlocksInPlaceOfTheMirrorRegion(int rows, int cols)
    {
        int stride = rows + cols + 5;
        var m = new double[stride * stride];
        var f = new float[stride * stride];
        var rng = new Random(rows * 100 + cols);
        for (int i = 0; i < m.Length; i++) { m[i] = rng.NextDouble(); f[i] = (float)m[i]; }
        var before = (double[])m.Clone();
        int from = 1 * stride + 2, to = (rows + 3) * stride + 1;
        BlockTranspose.Transpose(m, from, to, stride, rows, cols);
        BlockTranspose.Transpose(f, from, to, stride, rows, cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                Assert.Equal(before[from + i * stride + j], m[to + j * stride + i]);
                Assert.Equal((float)before[from + i * stride + j], f[to + j * stride + i]);
            }
        // Nothing outside the target block changed.
        for (int k = 0; k < m.Length; k++)
        {
            int r = (k - to) / stride, c = (k - to) % stride;
            bool inTarget = k >= to && r < cols && c >= 0 && c < rows;
            if (!inTarget) Assert.Equal(before[k], m[k]);
        }
    }
}
