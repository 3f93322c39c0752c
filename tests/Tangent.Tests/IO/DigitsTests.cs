using Tangent.IO;
using Xunit;

namespace Tangent.Tests.IO;

public class DigitsTests
{
    [Fact]
    public void ShapeAndValueRange()
    {
        var (images, labels) = Digits.Load();
        Assert.Equal(1797 * 64, images.Length);
        Assert.Equal(1797, labels.Length);
        Assert.All(images, v => Assert.True(v >= 0 && v <= 16 && v == Math.Floor(v), $"pixel {v}"));
        Assert.Equal(16, images.Max());
        Assert.Equal(0, images.Min());
    }

    [Fact]
    public void LabelCountsMatchScikitLearn()
    {
        var (_, labels) = Digits.Load();
        int[] counts = new int[10];
        foreach (int label in labels) counts[label]++;   // also fails on a label outside 0..9
        // sklearn.datasets.load_digits(): np.bincount(target)
        Assert.Equal([178, 182, 177, 183, 181, 182, 181, 179, 174, 180], counts);
        Assert.Equal(Digits.Count, counts.Sum());
    }

    [Fact]
    public void FirstImageIsTheZeroScikitLearnShows()
    {
        var (images, labels) = Digits.Load();
        Assert.Equal(0, labels[0]);
        Assert.Equal(1, labels[1]);
        // Row 0 of load_digits().images[0]: [0, 0, 5, 13, 9, 1, 0, 0]
        Assert.Equal([0.0, 0, 5, 13, 9, 1, 0, 0], images[..8]);
    }

    [Fact]
    public void CallersGetTheirOwnCopies()
    {
        var (a, la) = Digits.Load();
        a[2] = -1;
        la[0] = 42;
        var (b, lb) = Digits.Load();
        Assert.Equal(5, b[2]);
        Assert.Equal(0, lb[0]);
    }
}
