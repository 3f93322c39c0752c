using System.Globalization;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Experiments;

/// <summary>
/// <c>spectral-bias</c>: inputs on the circle, x = √2·(cos θ, sin θ), target y = Σ_k sin(kθ + φ_k) over the chosen
/// frequencies, with phases φ_k drawn per seed (Rahaman et al. 2019). Kernels of ReLU networks have eigenvalues that fall
/// with frequency, so they learn low frequencies first; the question is whether a trained network escapes that order.
/// Training angles are uniform; test angles are an equally spaced grid (shifted per seed), where the sines and cosines of
/// different frequencies are exactly orthogonal, so each frequency's share of the error is measured exactly.
/// </summary>
public sealed class SpectralBiasTask : FalsifierTask
{
    private readonly int[] _frequencies;

    /// <summary>A target with components at <paramref name="frequencies"/>; <paramref name="noise"/> on training targets.</summary>
    public SpectralBiasTask(IReadOnlyList<int> frequencies, double noise)
    {
        _frequencies = frequencies.Distinct().Order().ToArray();
        Noise = noise;
    }

    /// <summary>Noise standard deviation on the training targets.</summary>
    public double Noise { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<int> Frequencies => _frequencies;
    /// <inheritdoc/>
    public override string Description => string.Create(CultureInfo.InvariantCulture, $"spectral-bias (frequencies {string.Join(", ", _frequencies)}{(Noise > 0 ? $", noise {Noise:G3}" : "")})");
    /// <inheritdoc/>
    public override TargetKind Targets => TargetKind.Regression;
    /// <inheritdoc/>
    public override TensorShape InputShape => TensorShape.Flat(2);
    /// <inheritdoc/>
    public override int Outputs => 1;

    /// <inheritdoc/>
    public override TaskSample Sample(int train, int test, ulong seed)
    {
        var rng = new TaskRandom(seed, "spectral-bias");
        var phases = _frequencies.Select(_ => 2 * Math.PI * rng.Uniform()).ToArray();
        double shift = 2 * Math.PI * rng.Uniform() / test;
        var trainAngles = Enumerable.Range(0, train).Select(_ => 2 * Math.PI * rng.Uniform()).ToArray();
        var testAngles = Enumerable.Range(0, test).Select(i => shift + 2 * Math.PI * i / test).ToArray();
        (Matrix<double>, Matrix<double>) Build(double[] angles, double noise)
        {
            var x = new Matrix<double>(angles.Length, 2);
            var y = new Matrix<double>(angles.Length, 1);
            for (int r = 0; r < angles.Length; r++)
            {
                x[r, 0] = Math.Sqrt(2) * Math.Cos(angles[r]);
                x[r, 1] = Math.Sqrt(2) * Math.Sin(angles[r]);
                double v = 0;
                for (int f = 0; f < _frequencies.Length; f++) v += Math.Sin(_frequencies[f] * angles[r] + phases[f]);
                y[r, 0] = v + (noise > 0 ? noise * rng.Normal() : 0);
            }
            return (x, y);
        }
        var (xTrain, yTrain) = Build(trainAngles, Noise);
        var (xTest, yTest) = Build(testAngles, 0);
        return new TaskSample(xTrain, yTrain, xTest, yTest, testAngles);
    }
}
