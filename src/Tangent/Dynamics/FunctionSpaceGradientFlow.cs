using System.Globalization;
using Tangent.Dynamics.Losses;
using Tangent.Dynamics.Ode;
using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Dynamics;

/// <summary>
/// Gradient flow on any loss, in function space, for a fixed kernel (the infinite-width or linearised limit; Jacot et al.
/// 2018, eq. 2; Lee et al. 2019, eq. 7):
/// <code>
///   d f(X)/dt  = −η K(X, X)  ∇_f L(f(X), y)
///   d f(x*)/dt = −η K(x*, X) ∇_f L(f(X), y)
/// </code>
/// integrated by the adaptive Dormand–Prince method (<see cref="DormandPrince45"/>). For the MSE loss this reproduces
/// <see cref="GradientDescentMse"/>; for cross-entropy it is the only route (there is no closed form).
/// </summary>
public sealed class FunctionSpaceGradientFlow
{
    private readonly Matrix<double> _k;
    private readonly Matrix<double> _y;

    /// <summary>Sets up the flow.</summary>
    /// <param name="kTrainTrain">K(X, X), N x N.</param>
    /// <param name="yTrain">Targets, N x O.</param>
    /// <param name="loss">The loss and its gradient with respect to the outputs.</param>
    /// <param name="learningRate">η.</param>
    public FunctionSpaceGradientFlow(Matrix<double> kTrainTrain, Matrix<double> yTrain, IFunctionSpaceLoss loss, double learningRate = 1.0)
    {
        ArgumentNullException.ThrowIfNull(loss);
        KernelValidation.TrainKernel(kTrainTrain, "the train-train kernel");
        int n = kTrainTrain.Rows;
        KernelValidation.Shape(yTrain, n, yTrain.Cols, "the training targets", $"one row per training point of the {n}x{n} kernel");
        if (yTrain.Cols == 0) throw new KernelRequestException("the training targets have no columns");
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
            throw new KernelRequestException(string.Create(CultureInfo.InvariantCulture, $"the learning rate must be positive and finite, got {learningRate}"));
        _k = kTrainTrain;
        _y = yTrain;
        Loss = loss;
        LearningRate = learningRate;
    }

    /// <summary>The loss.</summary>
    public IFunctionSpaceLoss Loss { get; }

    /// <summary>η.</summary>
    public double LearningRate { get; }

    /// <summary>Steps and evaluations of the most recent <see cref="Predict"/> call (the one mutable member: share instances between threads only without relying on it).</summary>
    public OdeStatistics? LastStatistics { get; private set; }

    /// <summary>
    /// Outputs on the training points and, with <paramref name="kTestTrain"/>, on test points, at each of the finite
    /// <paramref name="times"/>.
    /// </summary>
    public TrainingPrediction Predict(IReadOnlyList<double> times, Matrix<double>? fxTrain0 = null, Matrix<double>? kTestTrain = null,
        Matrix<double>? fxTest0 = null, OdeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(times);
        int n = _k.Rows, o = _y.Cols;
        var f0 = fxTrain0 ?? new Matrix<double>(n, o);
        KernelValidation.Shape(f0, n, o, "the initial training outputs", "one row per training point, one column per target");
        int m = 0;
        if (kTestTrain is not null)
        {
            m = KernelValidation.Columns(kTestTrain, n, "the test-train kernel", "one column per training point");
            if (fxTest0 is not null) KernelValidation.Shape(fxTest0, m, o, "the initial test outputs", "one row per test point, one column per target");
        }
        else if (fxTest0 is not null) throw new KernelRequestException("initial test outputs were given without a test-train kernel");

        // State: [f(X) (N·O) | f(X*) (M·O)]. The test block does not feed back, but integrating it in the same solve
        // puts it under the same error control.
        int trainSize = n * o, dim = trainSize + m * o;
        var state0 = new double[dim];
        f0.Data.CopyTo(state0, 0);
        fxTest0?.Data.CopyTo(state0, trainSize);
        var gradient = new double[trainSize];
        var la = LinearAlgebra.Current;
        double eta = LearningRate;
        var loss = Loss;
        var k = _k.Data;
        var y = _y.Data;
        var kt = kTestTrain?.Data;
        void Rhs(double t, ReadOnlySpan<double> state, Span<double> dstate)
        {
            loss.Gradient(state[..trainSize], y, o, gradient);
            la.GemmNN(n, o, n, -eta, k, gradient, 0.0, dstate[..trainSize]);
            if (kt is not null) la.GemmNN(m, o, n, -eta, kt, gradient, 0.0, dstate[trainSize..]);
        }

        var output = new double[times.Count * dim];
        LastStatistics = DormandPrince45.Solve(Rhs, state0, 0.0, times, output, options);
        var train = new double[times.Count * trainSize];
        var test = kTestTrain is null ? null : new double[times.Count * m * o];
        for (int j = 0; j < times.Count; j++)
        {
            output.AsSpan(j * dim, trainSize).CopyTo(train.AsSpan(j * trainSize));
            if (test is not null) output.AsSpan(j * dim + trainSize, m * o).CopyTo(test.AsSpan(j * m * o));
        }
        var t = times.ToArray();
        return new TrainingPrediction(new PredictionSeries(t, n, o, train), test is null ? null : new PredictionSeries(t, m, o, test));
    }
}
