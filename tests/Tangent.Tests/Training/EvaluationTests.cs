using Tangent.Linalg;
using Tangent.Training;

namespace Tangent.Tests.Training;

public class EvaluationTests
{
    [Fact]
    public void DivergedOutputsAreMissesNotErrors()
    {
        var y = new Matrix<double>(4, 1, [1, -1, 1, -1]);
        var f = new Matrix<double>(4, 1, [2, double.NaN, double.PositiveInfinity, -3]);
        Assert.Equal(0.5, Evaluation.Accuracy(f, y));
        var y2 = new Matrix<double>(3, 2, [1, 0, 0, 1, 1, 0]);
        var f2 = new Matrix<double>(3, 2, [0.9, 0.1, double.NaN, 0.2, 0.1, 0.7]);
        Assert.Equal(1.0 / 3, Evaluation.Accuracy(f2, y2), 1e-15);
    }
}
