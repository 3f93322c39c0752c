using System.Globalization;
using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Dynamics;

/// <summary>
/// Closed-form predictions of gradient descent on the MSE loss ½·mean over the N·O training targets for a fixed
/// kernel K (analytic NTK or NNGP, or an empirical NTK): the dynamics of an infinitely wide network, or of the
/// linearisation of a finite one, in function space (Jacot et al. 2018; Lee et al. 2019, eqs. 8–9). With a = η/(N·O):
/// <code>
///   f_t(X)  = y + exp(−a K t) (f₀(X) − y)
///   f_t(x*) = f₀(x*) − K(x*, X) K⁻¹ (I − exp(−a K t)) (f₀(X) − y)
/// </code>
/// the conventions of neural-tangents' <c>gradient_descent_mse</c>. Also discrete steps with a finite learning rate and
/// heavy-ball momentum, mode by mode (see <see cref="ModeFilter"/>).
/// </summary>
/// <remarks>
/// The eigendecomposition of K (for finite times) and its Cholesky factor (for t = ∞) are computed on first use and
/// cached, so further calls with other times, initial outputs or test sets cost only matrix products.
/// Every output column is trained independently by the same kernel (the kernel is the identity across outputs).
/// Instances are safe to share between threads.
/// </remarks>
public sealed class GradientDescentMse
{
    private readonly Matrix<double> _kernel;
    private readonly Matrix<double> _y;
    private readonly Lazy<KernelEigenbasis> _eigenbasis;
    private readonly Lazy<KernelFactor> _factor;

    /// <summary>Sets up the predictor; nothing expensive happens until the first prediction.</summary>
    /// <param name="kTrainTrain">K(X, X), N x N, symmetric positive semi-definite.</param>
    /// <param name="yTrain">Targets, N x O.</param>
    /// <param name="learningRate">η; the dynamics depend on η·t only, so with continuous time it sets the time unit.</param>
    /// <param name="diagonalRegularization">Added to K before anything else (relative to trace(K)/N by default).</param>
    /// <exception cref="KernelRequestException">Shapes disagree, an entry is not finite, K is not symmetric, or the learning rate is not positive.</exception>
    public GradientDescentMse(Matrix<double> kTrainTrain, Matrix<double> yTrain, double learningRate = 1.0, DiagonalRegularization diagonalRegularization = default)
    {
        KernelValidation.TrainKernel(kTrainTrain, "the train-train kernel");
        int n = kTrainTrain.Rows;
        KernelValidation.Shape(yTrain, n, yTrain.Cols, "the training targets", $"one row per training point of the {n}x{n} kernel");
        if (yTrain.Cols == 0) throw new KernelRequestException("the training targets have no columns");
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
            throw new KernelRequestException(string.Create(CultureInfo.InvariantCulture, $"the learning rate must be positive and finite, got {learningRate}"));
        LearningRate = learningRate;
        Regularization = diagonalRegularization;
        RegularizationAmount = diagonalRegularization.AmountFor(kTrainTrain.Data, n);
        _kernel = diagonalRegularization.AppliedTo(kTrainTrain);
        _y = yTrain;
        _eigenbasis = new(() => KernelEigenbasis.Compute(_kernel, KernelName));
        _factor = new(() => KernelFactor.Compute(_kernel, KernelName));
    }

    private string KernelName => RegularizationAmount > 0 ? "the train-train kernel plus its diagonal regularisation" : "the train-train kernel";

    /// <summary>Training points N.</summary>
    public int TrainCount => _kernel.Rows;

    /// <summary>Outputs O.</summary>
    public int Outputs => _y.Cols;

    /// <summary>The learning rate η.</summary>
    public double LearningRate { get; }

    /// <summary>The regularisation as given.</summary>
    public DiagonalRegularization Regularization { get; }

    /// <summary>The amount added to each diagonal entry of K.</summary>
    public double RegularizationAmount { get; }

    /// <summary>a = η / (N·O): the decay rate per unit eigenvalue per unit time (the loss is a mean over N·O targets).</summary>
    public double Rate => LearningRate / ((double)TrainCount * Outputs);

    /// <summary>The eigendecomposition of the (regularised) training kernel, computed on first use.</summary>
    public KernelEigenbasis Eigenbasis => _eigenbasis.Value;

    /// <summary>The Cholesky factor of the (regularised) training kernel, computed on first use.</summary>
    public KernelFactor Factor => _factor.Value;

    /// <summary>
    /// The largest learning rate for which discrete gradient descent (with <paramref name="momentum"/>) converges on this
    /// kernel: 2 (1 + μ) N·O / λ_max (see <see cref="MaxLearningRate"/>).
    /// </summary>
    public double MaxLearningRate(double momentum = 0) => Dynamics.MaxLearningRate.FromLargestEigenvalue(Eigenbasis.Largest, TrainCount * Outputs, momentum);

    /// <summary>
    /// Predictions on the training points and, if <paramref name="kTestTrain"/> is given, on test points, at each of
    /// <paramref name="times"/>.
    /// </summary>
    /// <param name="times">Continuous times or discrete step counts; infinity allowed.</param>
    /// <param name="fxTrain0">f₀ on the training points, N x O (default zero: the mean of an infinite ensemble).</param>
    /// <param name="kTestTrain">K(X*, X), M x N (not regularised).</param>
    /// <param name="fxTest0">f₀ on the test points, M x O (default zero).</param>
    /// <exception cref="KernelRequestException">Shapes disagree, K is not positive semi-definite (finite times) or not
    /// positive definite (t = ∞), the learning rate is too large for ∞ steps, or the predictions overflow.</exception>
    public TrainingPrediction Predict(TrainingTimes times, Matrix<double>? fxTrain0 = null, Matrix<double>? kTestTrain = null, Matrix<double>? fxTest0 = null)
    {
        ArgumentNullException.ThrowIfNull(times);
        int n = TrainCount, o = Outputs;
        var f0 = fxTrain0 ?? new Matrix<double>(n, o);
        KernelValidation.Shape(f0, n, o, "the initial training outputs", "one row per training point, one column per target");
        int m = 0;
        if (kTestTrain is not null)
        {
            m = KernelValidation.Columns(kTestTrain, n, "the test-train kernel", $"one column per training point");
            if (fxTest0 is not null) KernelValidation.Shape(fxTest0, m, o, "the initial test outputs", "one row per test point, one column per target");
        }
        else if (fxTest0 is not null) throw new KernelRequestException("initial test outputs were given without a test-train kernel");

        // r₀ = f₀ − y, the initial residual; everything below is linear in it.
        var r0 = new Matrix<double>(n, o);
        for (int i = 0; i < r0.Data.Length; i++) r0.Data[i] = f0.Data[i] - _y.Data[i];

        int count = times.Count;
        var train = new double[count * n * o];
        var test = kTestTrain is null ? null : new double[count * m * o];
        var finite = Enumerable.Range(0, count).Where(j => double.IsFinite(times[j])).ToArray();
        if (finite.Length > 0) PredictFinite(times, finite, r0, kTestTrain, train, test);
        if (finite.Length < count) PredictInfinite(times, r0, kTestTrain, train, test);

        // Test outputs start from f₀(x*): both formulas above give the change only.
        if (test is not null && fxTest0 is not null)
            for (int j = 0; j < count; j++)
                System.Numerics.Tensors.TensorPrimitives.Add(test.AsSpan(j * m * o, m * o), fxTest0.Data, test.AsSpan(j * m * o, m * o));

        EnsureFinite(train, times);
        if (test is not null) EnsureFinite(test, times);
        var t = times.Values.ToArray();
        return new TrainingPrediction(new PredictionSeries(t, n, o, train), test is null ? null : new PredictionSeries(t, m, o, test));
    }

    // All finite times at once: in the eigenbasis P = Vᵀ r₀, each time scales the rows of P (by s for the training
    // residual, by c for the dual coefficients), the scaled blocks sit side by side in one N x (T·O) matrix, and one
    // GEMM with V (and one with K(X*, X)) maps them all back.
    private void PredictFinite(TrainingTimes times, int[] finite, Matrix<double> r0, Matrix<double>? kTestTrain, double[] train, double[]? test)
    {
        var basis = Eigenbasis;
        int n = TrainCount, o = Outputs, tf = finite.Length, width = tf * o;
        var p = basis.ToEigenbasis(r0);
        var scaledS = new Matrix<double>(n, width);
        var scaledC = test is null ? null : new Matrix<double>(n, width);
        double a = Rate;
        ReadOnlySpan<double> lambda = basis.Eigenvalues;
        for (int i = 0; i < n; i++)
        {
            var pRow = p.Row(i);
            var sRow = scaledS.Row(i);
            var cRow = scaledC is null ? default : scaledC.Row(i);
            for (int j = 0; j < tf; j++)
            {
                double t = times[finite[j]];
                var (s, c) = times.IsDiscrete ? ModeFilter.Steps(lambda[i], a, t, times.Momentum) : ModeFilter.Flow(lambda[i], a, t);
                for (int q = 0; q < o; q++)
                {
                    sRow[j * o + q] = s * pRow[q];
                    if (scaledC is not null) cRow[j * o + q] = c * pRow[q];
                }
            }
        }
        var la = LinearAlgebra.Current;
        var residual = basis.FromEigenbasis(scaledS);
        for (int j = 0; j < tf; j++)
        {
            var slice = train.AsSpan(finite[j] * n * o, n * o);
            for (int i = 0; i < n; i++)
                for (int q = 0; q < o; q++)
                    slice[i * o + q] = _y[i, q] + residual.Data[i * width + j * o + q];
        }
        if (test is null) return;
        int m = kTestTrain!.Rows;
        var dual = basis.FromEigenbasis(scaledC!);
        var change = new double[m * width];
        la.GemmNN(m, width, n, 1.0, kTestTrain.Data, dual.Data, 0.0, change);
        for (int j = 0; j < tf; j++)
        {
            var slice = test.AsSpan(finite[j] * m * o, m * o);
            for (int i = 0; i < m; i++)
                for (int q = 0; q < o; q++)
                    slice[i * o + q] = -change[i * width + j * o + q];
        }
    }

    // t = ∞: the training outputs reach y, the test outputs f₀(x*) + K(x*, X) K⁻¹ (y − f₀(X)) (kernel regression on
    // the residual), by Cholesky.
    private void PredictInfinite(TrainingTimes times, Matrix<double> r0, Matrix<double>? kTestTrain, double[] train, double[]? test)
    {
        int n = TrainCount, o = Outputs;
        if (times.IsDiscrete) EnsureConvergent(times.Momentum);
        double[]? change = null;
        if (test is not null)
        {
            var alpha = Factor.Solve(r0);
            int m = kTestTrain!.Rows;
            change = new double[m * o];
            LinearAlgebra.Current.GemmNN(m, o, n, -1.0, kTestTrain.Data, alpha.Data, 0.0, change);
        }
        else
        {
            _ = Factor;   // the limit exists only for a positive definite kernel: say so even without test points
        }
        for (int j = 0; j < times.Count; j++)
        {
            if (double.IsFinite(times[j])) continue;
            _y.Data.CopyTo(train, j * n * o);
            change?.CopyTo(test!, j * change.Length);
        }
    }

    private void EnsureConvergent(double momentum)
    {
        double max = MaxLearningRate(momentum);
        if (LearningRate >= max)
            throw new KernelRequestException(string.Create(CultureInfo.InvariantCulture,
                $"gradient descent with learning rate {LearningRate:G6} diverges as steps -> infinity: the largest stable learning rate for this kernel is {max:G6} (2(1+momentum)·N·O/λ_max); lower --learning-rate"));
    }

    private void EnsureFinite(double[] values, TrainingTimes times)
    {
        if (System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<double>(values)) return;
        string why = times.IsDiscrete && LearningRate >= MaxLearningRate(times.Momentum)
            ? string.Create(CultureInfo.InvariantCulture, $"the learning rate {LearningRate:G6} is above the largest stable one, {MaxLearningRate(times.Momentum):G6}, so gradient descent diverges; lower --learning-rate or the step counts")
            : "the kernel's eigenvalues span too wide a range for these times; add diagonal regularisation, e.g. --diag-reg 1e-6";
        throw new KernelRequestException($"the predictions overflow: {why}");
    }
}
