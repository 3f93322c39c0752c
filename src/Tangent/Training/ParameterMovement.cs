using System.Numerics;
using Tangent.Networks;

namespace Tangent.Training;

/// <summary>
/// ‖θ_t − θ₀‖ / ‖θ₀‖ in total and per tensor, against a snapshot of θ₀ taken at construction (in NTK parameterisation it
/// falls like 1/√width: each parameter moves by O(1/√n) while ‖θ₀‖² grows like the parameter count).
/// </summary>
public sealed class ParameterMovement<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[][] _initial;
    private readonly string[] _names;

    /// <summary>Snapshots the current values of <paramref name="parameters"/>.</summary>
    public ParameterMovement(IReadOnlyList<ParameterTensor<T>> parameters)
    {
        _initial = parameters.Select(p => p.Values.Select(v => double.CreateTruncating(v)).ToArray()).ToArray();
        _names = parameters.Select(p => p.Name).ToArray();
    }

    /// <summary>Total relative movement and per-tensor movement (tensor name → ‖Δθ‖/‖θ₀‖) of <paramref name="parameters"/>.</summary>
    public (double Total, IReadOnlyDictionary<string, double> PerTensor) Measure(IReadOnlyList<ParameterTensor<T>> parameters)
    {
        if (parameters.Count != _initial.Length) throw new ArgumentException("a different parameter list than the snapshot's");
        double diffAll = 0, normAll = 0;
        var per = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < _initial.Length; i++)
        {
            double diff = 0, norm = 0;
            var values = parameters[i].Values;
            for (int k = 0; k < values.Length; k++)
            {
                double v0 = _initial[i][k], d = double.CreateTruncating(values[k]) - v0;
                diff += d * d;
                norm += v0 * v0;
            }
            per[_names[i]] = norm == 0 ? (diff == 0 ? 0 : double.PositiveInfinity) : Math.Sqrt(diff / norm);
            diffAll += diff;
            normAll += norm;
        }
        return (normAll == 0 ? double.NaN : Math.Sqrt(diffAll / normAll), per);
    }
}
