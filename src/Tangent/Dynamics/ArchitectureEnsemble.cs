using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Dynamics;

/// <summary>
/// <see cref="InfiniteEnsemble"/> from an architecture and data: computes the analytic NNGP and NTK of the training
/// inputs once, and those involving test inputs per call.
/// </summary>
public sealed class ArchitectureEnsemble
{
    private readonly Architecture _architecture;
    private readonly Matrix<double> _xTrain;
    private readonly TensorShape _shape;
    private readonly KernelOptions _options;
    private readonly KernelResult<double> _trainTrain;
    private readonly Matrix<double> _yTrain;

    /// <summary>Computes the training kernels.</summary>
    /// <param name="architecture">The network.</param>
    /// <param name="xTrain">Training inputs, one example per row (flattened NHWC for images).</param>
    /// <param name="yTrain">Targets, N x O.</param>
    /// <param name="shape">Shape of one example; null for flat inputs of <c>xTrain.Cols</c> features.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="diagonalRegularization">Added to the kernel that is inverted.</param>
    /// <param name="options">Kernel evaluation options (threads, progress, memory); Ntk is always computed.</param>
    public ArchitectureEnsemble(Architecture architecture, Matrix<double> xTrain, Matrix<double> yTrain, TensorShape? shape = null,
        double learningRate = 1.0, DiagonalRegularization diagonalRegularization = default, KernelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(xTrain);
        _architecture = architecture;
        _xTrain = xTrain;
        _shape = shape ?? TensorShape.Flat(xTrain.Cols);
        _options = options ?? new KernelOptions();
        if (yTrain.Rows != xTrain.Rows)
            throw new KernelRequestException($"the training targets have {yTrain.Rows} rows but there are {xTrain.Rows} training inputs");
        _trainTrain = Compute(xTrain, null, ntk: true);
        _yTrain = yTrain;
        Ensemble = new InfiniteEnsemble(_trainTrain, yTrain, learningRate, diagonalRegularization);
    }

    /// <summary>The ensemble on the computed training kernels.</summary>
    public InfiniteEnsemble Ensemble { get; }

    /// <summary>NNGP and NTK of the training inputs with themselves.</summary>
    public KernelResult<double> TrainTrain => _trainTrain;

    /// <summary>
    /// Ensemble mean (and covariance when <paramref name="covariance"/>) at <paramref name="xTest"/>, or at the training
    /// inputs themselves when <paramref name="xTest"/> is null.
    /// </summary>
    public EnsemblePrediction Predict(KernelKind get, TrainingTimes times, Matrix<double>? xTest = null, bool covariance = false)
    {
        KernelResult<double> testTrain;
        Matrix<double>? testTest = null;
        if (xTest is null)
        {
            testTrain = _trainTrain;
            if (covariance) testTest = _trainTrain.Nngp;
        }
        else
        {
            if (xTest.Cols != _xTrain.Cols)
                throw new KernelRequestException($"the test inputs have {xTest.Cols} features per example but the training inputs {_xTrain.Cols}");
            testTrain = Compute(xTest, _xTrain, ntk: get == KernelKind.Ntk);
            if (covariance) testTest = Compute(xTest, null, ntk: false).Nngp;
        }
        return Ensemble.Predict(get, times, testTrain, testTest);
    }

    /// <summary>
    /// Exact GP regression with the architecture's NNGP or NTK as the prior covariance, on the computed training kernels
    /// (<paramref name="noise"/> is the observation noise variance, relative to trace/N by default).
    /// </summary>
    public GaussianProcessPosterior Posterior(KernelKind kind, DiagonalRegularization noise = default) =>
        new(kind == KernelKind.Ntk ? _trainTrain.Ntk! : _trainTrain.Nngp, _yTrain, noise);

    /// <summary>The kernel of <paramref name="kind"/> between <paramref name="xTest"/> and the training inputs (M x N), for <see cref="Posterior"/>.</summary>
    public Matrix<double> TestTrainKernel(KernelKind kind, Matrix<double> xTest)
    {
        var k = Compute(xTest, _xTrain, ntk: kind == KernelKind.Ntk);
        return kind == KernelKind.Ntk ? k.Ntk! : k.Nngp;
    }

    private KernelResult<double> Compute(Matrix<double> x1, Matrix<double>? x2, bool ntk)
    {
        var options = new KernelOptions
        {
            Ntk = ntk, TileSize = _options.TileSize, MaxThreads = _options.MaxThreads, Progress = _options.Progress,
            Cancellation = _options.Cancellation, MemoryLimitBytes = _options.MemoryLimitBytes,
        };
        return AnalyticKernel.ComputeImages(_architecture, x1, _shape, x2, options);
    }
}
