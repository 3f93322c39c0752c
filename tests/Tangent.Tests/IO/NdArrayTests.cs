using Tangent.IO;
using Xunit;

namespace Tangent.Tests.IO;

public class NdArrayTests
{
    [Fact]
    public void RowsAndRowLengthFollowTheShape()
    {
        var a = new NdArray([4, 3, 2], new double[24]);
        Assert.Equal(4, a.Rows);
        Assert.Equal(6, a.RowLength);
        var v = new NdArray([5], new double[5]);
        Assert.Equal((5, 1), (v.Rows, v.RowLength));
        var s = new NdArray([], new double[1]);
        Assert.Equal((1, 1), (s.Rows, s.RowLength));
    }

    [Fact]
    public void ShapeMustMatchData()
    {
        Assert.Throws<ArgumentException>(() => new NdArray([2, 3], new double[5]));
        Assert.Throws<ArgumentException>(() => new NdArray([-1], new double[0]));
        Assert.Throws<ArgumentException>(() => new NdArray([], new double[0]));
    }

    [Fact]
    public void ShapeIsCopied()
    {
        int[] shape = [2, 2];
        var a = new NdArray(shape, new double[4]);
        shape[0] = 99;
        Assert.Equal([2, 2], a.Shape);
    }

    [Fact]
    public void EnsureFiniteNamesFirstNaNAndItsRow()
    {
        var data = new double[10 * 4];
        data[17] = double.NaN;
        data[30] = double.PositiveInfinity;
        var e = Assert.Throws<DataFormatException>(() => new NdArray([10, 4], data).EnsureFinite("x1.npy"));
        Assert.Equal("x1.npy: element 17 (row 4) is NaN", e.Message);
    }

    [Fact]
    public void EnsureFiniteNamesInfinity()
    {
        var data = new double[3 * 2 * 2];
        data[9] = double.NegativeInfinity;
        var e = Assert.Throws<DataFormatException>(() => new NdArray([3, 2, 2], data).EnsureFinite("k"));
        Assert.Equal("k: element 9 (row 2) is infinite", e.Message);
    }

    [Fact]
    public void EnsureFiniteFindsOffenderPastTheFirstBlock()
    {
        // Beyond the 65536-element block size of the vectorised scan.
        var data = new double[300 * 1000];
        data[200_001] = double.NaN;
        var e = Assert.Throws<DataFormatException>(() => new NdArray([300, 1000], data).EnsureFinite("big"));
        Assert.Equal("big: element 200001 (row 200) is NaN", e.Message);
    }

    [Fact]
    public void EnsureFiniteAcceptsFiniteExtremes()
    {
        new NdArray([4], [double.MaxValue, double.MinValue, double.Epsilon, -0.0]).EnsureFinite("ok");
        new NdArray([0, 3], []).EnsureFinite("empty");
    }
}
