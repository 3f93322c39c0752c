using System.Globalization;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Experiments;

/// <summary>
/// <c>sparse-parity</c>: inputs uniform on the hypercube {−1, +1}^d, target the product of k of the d coordinates (a
/// subset drawn per seed). Rotation-invariant kernels need about d^k examples (the parity is a degree-k harmonic, one of
/// C(d, k)); a network that learns which coordinates matter needs far fewer (Wei, Lee, Liu and Ma 2019 for k = 2; Barak
/// et al. 2022). The canonical test of feature learning.
/// </summary>
public sealed class SparseParityTask : FalsifierTask
{
    /// <summary>The parity of <paramref name="k"/> of <paramref name="dim"/> coordinates.</summary>
    public SparseParityTask(int dim, int k)
    {
        if (k > dim) throw new ExperimentException($"sparse-parity: k = {k} coordinates out of dim = {dim}; k must not exceed dim");
        Dim = dim;
        K = k;
    }

    /// <summary>Input dimension d.</summary>
    public int Dim { get; }
    /// <summary>Number of coordinates in the parity.</summary>
    public int K { get; }

    /// <inheritdoc/>
    public override string Description => string.Create(CultureInfo.InvariantCulture, $"sparse-parity (d = {Dim}, k = {K})");
    /// <inheritdoc/>
    public override TargetKind Targets => TargetKind.Sign;
    /// <inheritdoc/>
    public override TensorShape InputShape => TensorShape.Flat(Dim);
    /// <inheritdoc/>
    public override int Outputs => 1;

    /// <summary>The coordinates of the parity for <paramref name="seed"/>, in increasing order.</summary>
    public int[] Support(ulong seed)
    {
        var rng = new TaskRandom(seed, "sparse-parity.support");
        var s = rng.Permutation(Dim)[..K];
        System.Array.Sort(s);
        return s;
    }

    /// <inheritdoc/>
    public override TaskSample Sample(int train, int test, ulong seed)
    {
        var support = Support(seed);
        var rng = new TaskRandom(seed, "sparse-parity.data");
        (Matrix<double>, Matrix<double>) Draw(int n)
        {
            var x = new Matrix<double>(n, Dim);
            var y = new Matrix<double>(n, 1);
            for (int r = 0; r < n; r++)
            {
                var row = x.Row(r);
                for (int i = 0; i < Dim; i++) row[i] = rng.Sign();
                double product = 1;
                foreach (int i in support) product *= row[i];
                y[r, 0] = product;
            }
            return (x, y);
        }
        var (xTrain, yTrain) = Draw(train);
        var (xTest, yTest) = Draw(test);
        return new TaskSample(xTrain, yTrain, xTest, yTest);
    }
}
