using ScottPlot;
using ScottPlot.TickGenerators;

namespace Tangent.Reports;

/// <summary>
/// Logarithmic axes for ScottPlot 5, which plots in linear coordinates: data are plotted as log10 values, and the axis
/// gets ticks at whole powers of ten labelled 10^k, with log-spaced minor ticks between them.
/// </summary>
internal static class LogAxes
{
    /// <summary>log10 of each value; non-positive or non-finite values become NaN (a gap in the line).</summary>
    public static double[] Log10(IEnumerable<double> values) =>
        values.Select(v => v > 0 && double.IsFinite(v) ? Math.Log10(v) : double.NaN).ToArray();

    /// <summary>Puts log ticks on <paramref name="axis"/>.</summary>
    public static void Apply(IAxis axis)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = Label,
        };
    }

    private static string Label(double exponent)
    {
        int k = (int)Math.Round(exponent);
        return k switch
        {
            0 => "1",
            1 => "10",
            _ => $"1e{k}",
        };
    }
}
