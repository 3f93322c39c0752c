using Tangent.Numerics;

namespace Tangent.Tests.Numerics;

public class StreamingCopyTests
{
    [Theory]
    [InlineData(0, 0), InlineData(0, 7), InlineData(3, 16), InlineData(1, 128), InlineData(5, 129), InlineData(8, 1000)]
    public void CopiesEveryElementAndNothingElse(int offset, int length)
    {
        // Offsets move the target across cache-line boundaries, so the ragged ends and the streamed middle all occur.
        var rng = new Random(offset * 31 + length);
        var source = new double[length];
        for (int i = 0; i < length; i++) source[i] = rng.NextDouble();
        var target = new double[offset + length + 9];
        Array.Fill(target, -1.0);
        StreamingCopy.Copy<double>(source, target.AsSpan(offset, length));
        StreamingCopy.Fence();
        for (int k = 0; k < target.Length; k++)
            Assert.Equal(k >= offset && k < offset + length ? source[k - offset] : -1.0, target[k]);
    }

    [Fact]
    public void CopiesFloats()
    {
        var source = Enumerable.Range(0, 301).Select(i => (float)Math.Sin(i)).ToArray();
        var target = new float[305];
        StreamingCopy.Copy<float>(source, target.AsSpan(3, 301));
        Assert.Equal(source, target.AsSpan(3, 301).ToArray());
        Assert.Equal(0f, target[2]);
        Assert.Equal(0f, target[304]);
    }

    [Fact]
    public void RejectsSpansOfDifferentLengths() =>
        Assert.Throws<ArgumentException>(() => StreamingCopy.Copy<double>(new double[4], new double[5]));
}
