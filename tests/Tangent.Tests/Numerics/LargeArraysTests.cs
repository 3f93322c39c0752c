using Tangent.Numerics;

namespace Tangent.Tests.Numerics;

public class LargeArraysTests
{
    [Theory]
    [InlineData(10), InlineData(3 << 20)] // below and above the size advised for huge pages
    public void AllocatesAWritableArrayOfTheRequestedLength(int length)
    {
        var a = LargeArrays.AllocateUninitialized<double>(length);
        Assert.Equal(length, a.Length);
        for (int i = 0; i < a.Length; i += 4099) a[i] = i;
        for (int i = 0; i < a.Length; i += 4099) Assert.Equal(i, a[i]);
    }
}
