using System.Numerics;
using System.Numerics.Tensors;
using Tangent.Networks;

namespace Tangent.Training;

/// <summary>
/// Updates parameter tensors from their gradients. Each tensor θ gets the base rate η times its parameterisation's
/// factor for the optimiser's family (<see cref="ParameterScale.LearningRate"/>: μP's and mean-field's per-layer rates).
/// </summary>
public abstract class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Which learning-rate factor of each tensor applies.</summary>
    public abstract OptimizerKind Family { get; }

    /// <summary>One update of every tensor in <paramref name="parameters"/> with the gradients at the same index and base rate <paramref name="learningRate"/>.</summary>
    public abstract void Step(IReadOnlyList<ParameterTensor<T>> parameters, IReadOnlyList<T[]> gradients, double learningRate);

    /// <summary>The optimiser <paramref name="options"/> asks for.</summary>
    public static Optimizer<T> Create(TrainerOptions options) => options.Optimizer == TrainingOptimizer.Adam
        ? new AdamOptimizer<T>(options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay)
        : new MomentumSgd<T>(options.Momentum, options.WeightDecay);
}

/// <summary>
/// θ ← θ − η_θ·v with v ← μ·v + g + λ·θ (heavy ball; plain gradient descent when μ = 0, λ = 0). η_θ = η·SGD factor of θ.
/// </summary>
public sealed class MomentumSgd<T>(double momentum = 0, double weightDecay = 0) : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<ParameterTensor<T>, T[]> _velocity = new(ReferenceEqualityComparer.Instance);

    /// <summary>μ.</summary>
    public double Momentum { get; } = momentum;
    /// <summary>λ (coupled L2 weight decay).</summary>
    public double WeightDecay { get; } = weightDecay;

    /// <inheritdoc />
    public override OptimizerKind Family => OptimizerKind.Sgd;

    /// <inheritdoc />
    public override void Step(IReadOnlyList<ParameterTensor<T>> parameters, IReadOnlyList<T[]> gradients, double learningRate)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            var theta = p.Values.AsSpan();
            var g = gradients[i].AsSpan();
            T rate = T.CreateTruncating(learningRate * p.Scale.LearningRate(OptimizerKind.Sgd));
            if (WeightDecay != 0) TensorPrimitives.MultiplyAdd<T>(theta, T.CreateTruncating(WeightDecay), g, g);
            if (Momentum == 0)
            {
                TensorPrimitives.MultiplyAdd<T>(g, -rate, theta, theta);
                continue;
            }
            if (!_velocity.TryGetValue(p, out var v)) _velocity[p] = v = new T[theta.Length];
            TensorPrimitives.MultiplyAdd<T>(v, T.CreateTruncating(Momentum), g, v);
            TensorPrimitives.MultiplyAdd<T>(v, -rate, theta, theta);
        }
    }
}

/// <summary>
/// Adam with bias correction: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − η_θ·m̂/(√v̂ + ε), η_θ = η·Adam factor of θ;
/// decoupled weight decay θ ← θ − η_θ·λ·θ when λ ≠ 0 (AdamW).
/// </summary>
public sealed class AdamOptimizer<T>(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0) : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<ParameterTensor<T>, (T[] M, T[] V)> _moments = new(ReferenceEqualityComparer.Instance);
    private int _t;

    /// <inheritdoc />
    public override OptimizerKind Family => OptimizerKind.Adam;

    /// <inheritdoc />
    public override void Step(IReadOnlyList<ParameterTensor<T>> parameters, IReadOnlyList<T[]> gradients, double learningRate)
    {
        _t++;
        double c1 = 1 - Math.Pow(beta1, _t), c2 = 1 - Math.Pow(beta2, _t);
        T b1 = T.CreateTruncating(beta1), b2 = T.CreateTruncating(beta2), a1 = T.One - b1, a2 = T.One - b2;
        T eps = T.CreateTruncating(epsilon);
        T rc1 = T.CreateTruncating(1 / c1), rc2 = T.CreateTruncating(1 / c2);
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            var theta = p.Values;
            var g = gradients[i];
            double rateD = learningRate * p.Scale.LearningRate(OptimizerKind.Adam);
            T rate = T.CreateTruncating(rateD);
            if (!_moments.TryGetValue(p, out var mv)) _moments[p] = mv = (new T[theta.Length], new T[theta.Length]);
            var (m, v) = mv;
            if (weightDecay != 0) TensorPrimitives.Multiply<T>(theta, T.CreateTruncating(1 - rateD * weightDecay), theta);
            for (int k = 0; k < theta.Length; k++)
            {
                T gk = g[k];
                m[k] = b1 * m[k] + a1 * gk;
                v[k] = b2 * v[k] + a2 * gk * gk;
                theta[k] -= rate * (m[k] * rc1) / (T.Sqrt(v[k] * rc2) + eps);
            }
        }
    }
}
