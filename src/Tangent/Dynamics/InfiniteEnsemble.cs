using System.Globalization;
using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Dynamics;

/// <summary>
/// Mean and covariance, over random initialisations, of the outputs of an infinitely wide network trained by gradient
/// flow on MSE for time t (Lee et al. 2019, "Wide neural networks of any depth evolve as linear models under gradient
/// descent", §2.3–2.4), with the conventions of neural-tangents' <c>gradient_descent_mse_ensemble</c>. With
/// a = η/(N·O), Θ the kernel that trains (NTK, or the NNGP when only the readout is trained), K the NNGP (the prior
/// covariance of f₀), and Z_t = Θ(x*, X) Θ⁻¹ (I − e^{−aΘt}):
/// <code>
///   mean(x*)          = Z_t y                                                   (Lee et al. eq. 15)
///   cov, NTK          = K(x*, x*) + Z_t K(X, X) Z_tᵀ − (Z_t K(X, x*) + h.c.)    (eq. 16)
///   cov, NNGP         = K(x*, x*) − K(x*, X) K⁻¹ (I − e^{−2aKt}) K(X, x*)        (readout only: Θ = K)
/// </code>
/// At t = ∞ (Cholesky) the NNGP case is the exact Bayesian posterior of the NNGP and the NTK case the distribution of
/// fully trained infinite networks. Diagonal regularisation is added to the kernel that is inverted (Θ), not to the
/// prior covariance K(X, X) inside the NTK covariance.
/// </summary>
/// <remarks>Eigendecompositions and Cholesky factors are computed per kernel on first use and cached. Thread-safe.</remarks>
public sealed class InfiniteEnsemble
{
    private readonly Matrix<double> _nngp;
    private readonly Matrix<double>? _ntk;
    private readonly Matrix<double> _y;
    private readonly Dictionary<KernelKind, (Lazy<KernelEigenbasis> Basis, Lazy<KernelFactor> Factor, Matrix<double> Regularized)> _cache = [];

    /// <summary>Sets up the ensemble from the training kernels (the NTK may be null when only NNGP predictions are wanted).</summary>
    /// <param name="trainTrain">NNGP and NTK of the training set with itself, N x N each.</param>
    /// <param name="yTrain">Targets, N x O.</param>
    /// <param name="learningRate">η (continuous time: only η·t matters).</param>
    /// <param name="diagonalRegularization">Added to the kernel that is inverted.</param>
    public InfiniteEnsemble(KernelResult<double> trainTrain, Matrix<double> yTrain, double learningRate = 1.0, DiagonalRegularization diagonalRegularization = default)
    {
        ArgumentNullException.ThrowIfNull(trainTrain);
        KernelValidation.TrainKernel(trainTrain.Nngp, "the train-train NNGP");
        int n = trainTrain.Nngp.Rows;
        if (trainTrain.Ntk is not null)
        {
            KernelValidation.TrainKernel(trainTrain.Ntk, "the train-train NTK");
            if (trainTrain.Ntk.Rows != n) throw new KernelRequestException($"the train-train NTK is {trainTrain.Ntk.Rows}x{trainTrain.Ntk.Rows} but the NNGP {n}x{n}");
        }
        KernelValidation.Shape(yTrain, n, yTrain.Cols, "the training targets", $"one row per training point of the {n}x{n} kernels");
        if (yTrain.Cols == 0) throw new KernelRequestException("the training targets have no columns");
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
            throw new KernelRequestException(string.Create(CultureInfo.InvariantCulture, $"the learning rate must be positive and finite, got {learningRate}"));
        _nngp = trainTrain.Nngp;
        _ntk = trainTrain.Ntk;
        _y = yTrain;
        LearningRate = learningRate;
        Regularization = diagonalRegularization;
        foreach (var kind in new[] { KernelKind.Nngp, KernelKind.Ntk })
        {
            var k = kind == KernelKind.Nngp ? _nngp : _ntk;
            if (k is null) continue;
            var regularized = diagonalRegularization.AppliedTo(k);
            string name = $"the train-train {Name(kind)}{(diagonalRegularization.IsZero ? "" : " plus its diagonal regularisation")}";
            _cache[kind] = (new(() => KernelEigenbasis.Compute(regularized, name)), new(() => KernelFactor.Compute(regularized, name)), regularized);
        }
    }

    /// <summary>Training points N.</summary>
    public int TrainCount => _nngp.Rows;

    /// <summary>Outputs O.</summary>
    public int Outputs => _y.Cols;

    /// <summary>η.</summary>
    public double LearningRate { get; }

    /// <summary>The regularisation as given.</summary>
    public DiagonalRegularization Regularization { get; }

    /// <summary>a = η / (N·O).</summary>
    public double Rate => LearningRate / ((double)TrainCount * Outputs);

    /// <summary>Whether an NTK was given (needed for <see cref="KernelKind.Ntk"/>).</summary>
    public bool HasNtk => _ntk is not null;

    /// <summary>
    /// Mean [T, M, O] and, when <paramref name="nngpTestTest"/> is given, covariance [T, M, M] (the same for every output)
    /// of the ensemble at each of <paramref name="times"/> (continuous; infinity allowed).
    /// </summary>
    /// <param name="get">The kernel that trains.</param>
    /// <param name="times">Continuous times.</param>
    /// <param name="testTrain">NNGP and NTK between the test and the training points, M x N (the NTK may be null for <see cref="KernelKind.Nngp"/>).</param>
    /// <param name="nngpTestTest">NNGP of the test points with themselves, M x M; null for the mean only.</param>
    public EnsemblePrediction Predict(KernelKind get, TrainingTimes times, KernelResult<double> testTrain, Matrix<double>? nngpTestTest = null)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(testTrain);
        if (times.IsDiscrete) throw new KernelRequestException("ensemble predictions are for continuous time (gradient flow); give times, not step counts");
        if (get == KernelKind.Ntk && _ntk is null) throw new KernelRequestException("NTK ensemble predictions need the train-train NTK");
        int n = TrainCount, o = Outputs;
        int m = KernelValidation.Columns(testTrain.Nngp, n, "the test-train NNGP", "one column per training point");
        var thetaTd = testTrain.Nngp;
        if (get == KernelKind.Ntk)
        {
            thetaTd = testTrain.Ntk ?? throw new KernelRequestException("NTK ensemble predictions need the test-train NTK");
            KernelValidation.Shape(thetaTd, m, n, "the test-train NTK", "the shape of the test-train NNGP");
        }
        if (nngpTestTest is not null) KernelValidation.Shape(nngpTestTest, m, m, "the test-test NNGP", "one row and column per test point");

        var (basisLazy, factorLazy, _) = _cache[get];
        var t = times.Values.ToArray();
        var mean = new double[t.Length * m * o];
        var cov = nngpTestTest is null ? null : new double[t.Length * m * m];
        var la = LinearAlgebra.Current;

        // Finite times through the eigenbasis Θ = V diag(λ) Vᵀ: with A = Θ(x*, X) V (computed once),
        // Z_t = A diag(c_t) Vᵀ, c_t(λ) = (1 − e^{−aλt}) / λ.
        Matrix<double>? a = null, py = null;
        KernelEigenbasis? basis = null;
        if (t.Any(double.IsFinite))
        {
            basis = basisLazy.Value;
            a = new Matrix<double>(m, n);
            la.GemmNN(m, n, n, 1.0, thetaTd.Data, basis.Vectors.Data, 0.0, a.Data);
            py = basis.ToEigenbasis(_y);
        }
        // Work buffers, allocated once for all times.
        var scaled = new Matrix<double>(m, n);
        var z = new Matrix<double>(m, n);
        var work = get == KernelKind.Ntk && cov is not null ? new Matrix<double>(m, n) : null;
        var c = new double[n];
        for (int j = 0; j < t.Length; j++)
        {
            var meanSlice = mean.AsSpan(j * m * o, m * o);
            if (double.IsFinite(t[j]))
            {
                FlowCoefficients(basis!, t[j], c);
                // mean = A diag(c) (Vᵀ y)
                ScaleColumns(a!, c, scaled);
                la.GemmNN(m, o, n, 1.0, scaled.Data, py!.Data, 0.0, meanSlice);
                if (cov is null) continue;
                if (get == KernelKind.Nngp)
                {
                    // The readout-only covariance decays twice as fast: e^{−2aKt}.
                    FlowCoefficients(basis!, 2 * t[j], c);
                    ScaleColumns(a!, c, scaled);
                }
                la.GemmNT(m, n, n, 1.0, scaled.Data, basis!.Vectors.Data, 0.0, z.Data);
            }
            else
            {
                // Z_∞ = Θ(x*, X) Θ⁻¹ = (Θ⁻¹ Θ(X, x*))ᵀ.
                var solved = factorLazy.Value.SolveTransposed(thetaTd);
                TransposeInto(solved, z);
                la.GemmNN(m, o, n, 1.0, z.Data, _y.Data, 0.0, meanSlice);
                if (cov is null) continue;
            }
            Covariance(get, z, testTrain.Nngp, nngpTestTest!, work, cov.AsSpan(j * m * m, m * m));
        }
        if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<double>(mean) || (cov is not null && !System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<double>(cov)))
            throw new KernelRequestException("the ensemble predictions overflow: the training kernel is too ill-conditioned for these times; add diagonal regularisation, e.g. --diag-reg 1e-6");
        return new EnsemblePrediction(get, new PredictionSeries(t, m, o, mean), cov is null ? null : new PredictionSeries(t, m, m, cov));
    }

    // NNGP: cov = K** − Z K(X, x*), with Z built from e^{−2aKt} (or K⁻¹ at ∞).
    // NTK:  cov = K** + (Z K(X, X) − K(x*, X)) Zᵀ − Z K(X, x*).
    private void Covariance(KernelKind get, Matrix<double> z, Matrix<double> nngpTd, Matrix<double> nngpTt, Matrix<double>? work, Span<double> result)
    {
        int m = z.Rows, n = z.Cols;
        var la = LinearAlgebra.Current;
        nngpTt.Data.CopyTo(result);
        if (get == KernelKind.Nngp)
        {
            la.GemmNT(m, m, n, -1.0, z.Data, nngpTd.Data, 1.0, result);
        }
        else
        {
            var b = work!;
            la.GemmNN(m, n, n, 1.0, z.Data, _nngp.Data, 0.0, b.Data);
            System.Numerics.Tensors.TensorPrimitives.Subtract(b.Data, nngpTd.Data, b.Data);
            la.GemmNT(m, m, n, 1.0, b.Data, z.Data, 1.0, result);
            la.GemmNT(m, m, n, -1.0, z.Data, nngpTd.Data, 1.0, result);
        }
        // Exactly symmetric: the two triangles differ only by rounding.
        for (int i = 0; i < m; i++)
            for (int k = i + 1; k < m; k++)
            {
                double v = 0.5 * (result[i * m + k] + result[k * m + i]);
                result[i * m + k] = v;
                result[k * m + i] = v;
            }
    }

    private void FlowCoefficients(KernelEigenbasis basis, double t, double[] c)
    {
        double a = Rate;
        for (int i = 0; i < c.Length; i++) c[i] = ModeFilter.Flow(basis.Eigenvalues[i], a, t).C;
    }

    private static void ScaleColumns(Matrix<double> a, double[] c, Matrix<double> result)
    {
        for (int i = 0; i < a.Rows; i++)
            System.Numerics.Tensors.TensorPrimitives.Multiply(a.Row(i), c, result.Row(i));
    }

    private static void TransposeInto(Matrix<double> source, Matrix<double> target)
    {
        for (int i = 0; i < source.Rows; i++)
            for (int j = 0; j < source.Cols; j++)
                target.Data[j * source.Rows + i] = source.Data[i * source.Cols + j];
    }

    internal static string Name(KernelKind kind) => kind == KernelKind.Ntk ? "NTK" : "NNGP";
}

/// <summary>Ensemble predictions at a list of times.</summary>
/// <param name="Kind">The kernel that trained.</param>
/// <param name="Mean">[T, M, O].</param>
/// <param name="Covariance">[T, M, M], the same for every output; null when not asked for.</param>
public sealed record EnsemblePrediction(KernelKind Kind, PredictionSeries Mean, PredictionSeries? Covariance);
