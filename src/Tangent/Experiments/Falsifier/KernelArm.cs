using Tangent.Dynamics;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Experiments;

/// <summary>
/// The infinite-width arm: the analytic NTK and NNGP of the architecture (NTK parameterisation, the kernel regime's limit)
/// on one seed's training pool and test set, computed once, and kernel regression on the first n training examples:
/// f(x*) = K(x*, X)(K(X, X) + λI)⁻¹ Y. With the NTK that is the infinitely wide network trained to convergence by gradient
/// descent on MSE (from a zero-output start); with the NNGP, the exact Bayesian posterior mean (the infinitely wide network
/// with only its readout trained).
/// </summary>
public sealed class KernelArm
{
    private readonly Matrix<double> _ntk, _nngp;
    private readonly int _pool, _test;
    private readonly double _ridge;

    private KernelArm(Matrix<double> ntk, Matrix<double> nngp, int pool, int test, double ridge)
    {
        _ntk = ntk;
        _nngp = nngp;
        _pool = pool;
        _test = test;
        _ridge = ridge;
    }

    /// <summary>
    /// Computes both kernels on <paramref name="data"/>'s training pool and test set. <paramref name="ridge"/> is relative
    /// to trace(K)/n (<see cref="DiagonalRegularization.Relative"/>).
    /// </summary>
    public static KernelArm Compute(Architecture architecture, TensorShape shape, TaskSample data, double ridge, CancellationToken cancel = default)
    {
        int pool = data.XTrain.Rows, test = data.XTest.Rows, d = data.XTrain.Cols;
        var x = new Matrix<double>(pool + test, d);
        data.XTrain.Data.CopyTo(x.Data, 0);
        data.XTest.Data.CopyTo(x.Data, pool * d);
        var k = AnalyticKernel.ComputeImages(architecture, x, shape, null, new KernelOptions { Cancellation = cancel });
        return new KernelArm(k.Ntk!, k.Nngp, pool, test, ridge);
    }

    /// <summary>The kernel on the first <paramref name="n"/> training examples (a copy).</summary>
    public Matrix<double> TrainKernel(KernelKind kind, int n)
    {
        var k = Kernel(kind);
        var r = new Matrix<double>(n, n);
        for (int i = 0; i < n; i++) k.Row(i)[..n].CopyTo(r.Row(i));
        return r;
    }

    /// <summary>Test predictions of kernel regression on the first <paramref name="n"/> training examples with targets <paramref name="yTrain"/>.</summary>
    public Matrix<double> Predict(KernelKind kind, int n, Matrix<double> yTrain)
    {
        if (n > _pool) throw new ArgumentOutOfRangeException(nameof(n), $"the pool has {_pool} examples");
        if (yTrain.Rows != n) throw new ArgumentException($"{yTrain.Rows} targets for {n} examples", nameof(yTrain));
        var k = Kernel(kind);
        var kTest = new Matrix<double>(_test, n);
        for (int i = 0; i < _test; i++) k.Row(_pool + i)[..n].CopyTo(kTest.Row(i));
        string name = kind == KernelKind.Ntk ? "NTK" : "NNGP";
        try { return KernelRegression.Predict(TrainKernel(kind, n), yTrain, kTest, _ridge); }
        catch (KernelRequestException e) { throw new KernelRequestException($"{name} regression on n = {n}: {e.Message} (raise the experiment's ridge)"); }
    }

    private Matrix<double> Kernel(KernelKind kind) => kind == KernelKind.Ntk ? _ntk : _nngp;
}
