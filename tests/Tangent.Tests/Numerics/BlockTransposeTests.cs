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

    [Theory]
    [InlineData(16, 16), InlineData(32, 48), InlineData(17, 33), InlineData(128, 128), InlineData(5, 40)]
    public void TransposesFromOneArrayIntoAnotherWithItsOwnStride(int rows, int cols)
    {
        // A contiguous tile written into a larger matrix, as the symmetric kernels mirror their tiles.
        int targetStride = rows + 7;
        var rng = new Random(rows * 1000 + cols);
        var source = new double[rows * cols];
        var sourceF = new float[rows * cols];
        for (int i = 0; i < source.Length; i++) { source[i] = rng.NextDouble(); sourceF[i] = (float)rng.NextDouble(); }
        var target = new double[(cols + 2) * targetStride];
        var targetF = new float[(cols + 2) * targetStride];
        Array.Fill(target, -1.0);
        Array.Fill(targetF, -1f);
        int to = targetStride + 3;
        BlockTranspose.Transpose(source, 0, cols, target, to, targetStride, rows, cols);
        BlockTranspose.Transpose(sourceF, 0, cols, targetF, to, targetStride, rows, cols);
        for (int k = 0; k < target.Length; k++)
        {
            int j = (k - to) / targetStride, i = (k - to) % targetStride;
            bool inTarget = k >= to && j < cols && i >= 0 && i < rows;
            Assert.Equal(inTarget ? source[i * cols + j] : -1.0, target[k]);
            Assert.Equal(inTarget ? sourceF[i * cols + j] : -1f, targetF[k]);
        }
    }
}
