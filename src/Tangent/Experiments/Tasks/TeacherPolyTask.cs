using System.Globalization;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Experiments;

/// <summary>
/// <c>teacher-poly</c>: a single-index teacher on the sphere. Inputs are uniform on the sphere of radius √d in R^d (so
/// coordinates are O(1)); the target is y = He_p(⟨u, x⟩)/√(p!) with u a random unit vector (drawn per seed) and He_p the
/// probabilists' Hermite polynomial of degree p, so y has unit variance for large d. Degree 1 is a linear target every
/// kernel learns from about d examples; higher degrees need more data from a kernel (about d^p) than from a network that
/// learns the direction u.
/// </summary>
public sealed class TeacherPolyTask : FalsifierTask
{
    /// <summary>A teacher of <paramref name="degree"/> in <paramref name="dim"/> dimensions with training-target noise <paramref name="noise"/>.</summary>
    public TeacherPolyTask(int dim, int degree, double noise)
    {
        if (degree < 1) throw new ExperimentException($"teacher-poly: degree must be at least 1, got {degree}");
        Dim = dim;
        Degree = degree;
        Noise = noise;
    }

    /// <summary>Input dimension d.</summary>
    public int Dim { get; }
    /// <summary>Degree p.</summary>
    public int Degree { get; }
    /// <summary>Noise standard deviation on the training targets.</summary>
    public double Noise { get; }

    /// <inheritdoc/>
    public override string Description => string.Create(CultureInfo.InvariantCulture, $"teacher-poly (d = {Dim}, degree {Degree}{(Noise > 0 ? $", noise {Noise:G3}" : "")})");
    /// <inheritdoc/>
    public override TargetKind Targets => TargetKind.Regression;
    /// <inheritdoc/>
    public override TensorShape InputShape => TensorShape.Flat(Dim);
    /// <inheritdoc/>
    public override int Outputs => 1;

    /// <inheritdoc/>
    public override TaskSample Sample(int train, int test, ulong seed)
    {
        var rng = new TaskRandom(seed, "teacher-poly");
        var u = new double[Dim];
        double norm = 0;
        for (int i = 0; i < Dim; i++) { u[i] = rng.Normal(); norm += u[i] * u[i]; }
        norm = Math.Sqrt(norm);
        for (int i = 0; i < Dim; i++) u[i] /= norm;
        double scale = 1 / Math.Sqrt(Factorial(Degree));
        (Matrix<double>, Matrix<double>) Draw(int n, double noise)
        {
            var x = new Matrix<double>(n, Dim);
            var y = new Matrix<double>(n, 1);
            for (int r = 0; r < n; r++)
            {
                var row = x.Row(r);
                double s = 0;
                for (int i = 0; i < Dim; i++) { row[i] = rng.Normal(); s += row[i] * row[i]; }
                double radius = Math.Sqrt(Dim / s), z = 0;
                for (int i = 0; i < Dim; i++) { row[i] *= radius; z += u[i] * row[i]; }
                y[r, 0] = Hermite(Degree, z) * scale + (noise > 0 ? noise * rng.Normal() : 0);
            }
            return (x, y);
        }
        var (xTrain, yTrain) = Draw(train, Noise);
        var (xTest, yTest) = Draw(test, 0);
        return new TaskSample(xTrain, yTrain, xTest, yTest);
    }

    /// <summary>The probabilists' Hermite polynomial He_p(z), by He_{k+1} = z·He_k − k·He_{k−1}.</summary>
    public static double Hermite(int p, double z)
    {
        double previous = 1, current = z;
        if (p == 0) return previous;
        for (int k = 1; k < p; k++) (previous, current) = (current, z * current - k * previous);
        return current;
    }

    private static double Factorial(int p)
    {
        double f = 1;
        for (int k = 2; k <= p; k++) f *= k;
        return f;
    }
}
