using System.Globalization;
using Tangent.Networks;

namespace Tangent.Experiments;

/// <summary>The axes of a sweep: every combination of width, parameterisation, output scale α, learning rate and seed is one point.</summary>
/// <param name="Widths">Hidden widths.</param>
/// <param name="Parameterizations">Parameterisations.</param>
/// <param name="Alphas">Output scales α; a null entry is the plain model f_θ.</param>
/// <param name="LearningRates">Base learning rates η.</param>
/// <param name="Seeds">Seeds 0 .. Seeds−1 (initialisation and batch order).</param>
public sealed record SweepGrid(int[] Widths, NetworkParameterization[] Parameterizations, double?[] Alphas, double[] LearningRates, int Seeds)
{
    /// <summary>The points' configurations, from <paramref name="template"/>, in a fixed order (parameterisation, α, rate, width, seed).</summary>
    public IReadOnlyList<TrainingRunConfig> Expand(TrainingRunConfig template)
    {
        if (Widths.Length == 0 || Parameterizations.Length == 0 || Alphas.Length == 0 || LearningRates.Length == 0 || Seeds < 1)
            throw new ArgumentException("a sweep needs at least one width, parameterisation, α, learning rate and seed");
        var list = new List<TrainingRunConfig>();
        foreach (var p in Parameterizations)
            foreach (var a in Alphas)
                foreach (var lr in LearningRates)
                    foreach (int w in Widths)
                        for (int s = 0; s < Seeds; s++)
                            list.Add(template with { Parameterization = p, Alpha = a, Width = w, Seed = (ulong)s, Trainer = template.Trainer with { LearningRate = lr, BatchSeed = (ulong)s } });
        return list;
    }

    /// <summary>The file name of a point: <c>ntk_w256_a0.1_lr0.5_s0.json</c> (α "none" for the plain model).</summary>
    public static string FileName(TrainingRunConfig c) => string.Create(CultureInfo.InvariantCulture,
        $"{c.Parameterization.Name()}_w{c.Width}_a{(c.Alpha is { } a ? a.ToString("R", CultureInfo.InvariantCulture) : "none")}_lr{c.Trainer.LearningRate.ToString("R", CultureInfo.InvariantCulture)}_s{c.Seed}.json");
}
