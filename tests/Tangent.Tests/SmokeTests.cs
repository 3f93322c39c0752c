using Tangent.Linalg;

namespace Tangent.Tests;

public class MatrixTests
{
    [Fact]
    public void TransposeSwapsIndices()
    {
        var m = Matrix<double>.FromRows([[1, 2, 3], [4, 5, 6]]);
        var t = m.Transpose();
        Assert.Equal(3, t.Rows);
        Assert.Equal(6.0, t[2, 1]);
        Assert.Equal(2.0, t[1, 0]);
    }
}
