using System.Diagnostics;
using System.Numerics;
using System.Text.Json.Nodes;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Empirical;

/// <summary>One width of a convergence study.</summary>
/// <param name="Width">The hidden width (channels for convolutions) of every hidden layer.</param>
/// <param name="NtkError">
/// ‖Θ_MC − Θ‖_F / ‖Θ‖_F of the Monte Carlo NTK (the mean over M networks) against the analytic NTK; with R replicates,
/// the root mean square over the R independent Monte Carlo kernels.
/// </param>
/// <param name="NngpError">The same for the NNGP of the readout features; null when the network has no Dense readout.</param>
/// <param name="NetworkNtkError">Root mean square over all R·M networks of each single network's relative NTK error.</param>
/// <param name="ReplicateNtkErrors">The R errors behind <paramref name="NtkError"/>.</param>
/// <param name="Seconds">Wall time for this width.</param>
public sealed record ConvergencePoint(int Width, double NtkError, double? NngpError, double NetworkNtkError, IReadOnlyList<double> ReplicateNtkErrors, double Seconds);

/// <summary>A convergence study: errors per width and their fitted log-log slopes (theory: −1/2).</summary>
public sealed record ConvergenceResult(string Architecture, int Samples, int Replicates, ulong Seed, IReadOnlyList<ConvergencePoint> Points,
    LogLogFit? NtkFit, LogLogFit? NngpFit, LogLogFit? NetworkNtkFit);

/// <summary>
/// How fast the empirical kernels of finite networks in NTK parameterisation approach the analytic kernels as the width
/// grows (<c>tangent converge</c>). Every hidden width is set to each width in turn; the readout keeps its own. The
/// Monte Carlo error of one width is one random number whose logarithm spreads widely (its fluctuation lives in few
/// directions), so R independent replicates can be averaged (in the mean-square sense) to steady the fitted slope.
/// </summary>
public static class Convergence
{
    /// <summary>
    /// Runs the study on the rows of <paramref name="x1"/> (examples of <paramref name="input"/>) with M = <paramref name="samples"/>
    /// networks per Monte Carlo kernel and R = <paramref name="replicates"/> kernels per width; <paramref name="withNngp"/> adds the
    /// readout NNGP's errors (one more forward pass per network).
    /// </summary>
    public static ConvergenceResult Run<T>(Architecture architecture, TensorShape input, Matrix<T> x1, IReadOnlyList<int> widths, int samples, ulong seed,
        int replicates = 1, EmpiricalMethod method = EmpiricalMethod.Structured, int threads = 0, IProgress<double>? progress = null, CancellationToken cancel = default,
        bool withNngp = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (widths.Count == 0 || widths.Any(w => w < 1)) throw new ArgumentException("widths must be positive", nameof(widths));
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicates, 1);
        var ntkArchitecture = InNtkParameterization(architecture);
        var analytic = AnalyticKernel.ComputeImages(ntkArchitecture, x1, input);
        var ntk = ToDouble(analytic.Ntk!.Data);
        var nngp = ToDouble(analytic.Nngp.Data);
        var empirical = new EmpiricalOptions { Method = method };
        var points = new List<ConvergencePoint>();
        for (int wi = 0; wi < widths.Count; wi++)
        {
            var clock = Stopwatch.StartNew();
            var options = new FiniteNetworkOptions { Parameterization = NetworkParameterization.Ntk, Width = widths[wi], OverrideWidths = true };
            var sampling = new MonteCarloOptions
            {
                Samples = samples * replicates, Seed = SeededNormal.Sample(seed, wi), Threads = threads > 0 ? threads : Environment.ProcessorCount,
                Cancellation = cancel, Progress = progress is null ? null : new Progress(p => progress.Report((wi + p) / widths.Count)),
            };
            var ntkSums = new double[replicates][];    // filled by the first network of each replicate
            var nngpSums = new double[replicates][];
            double networkSquares = 0;
            bool nngpKnown = withNngp;
            MonteCarloKernel.Map<T, (double[] Ntk, double[]? Nngp)>(ntkArchitecture, input, options, sampling,
                net => (ToDouble(EmpiricalNtk.Compute(net, x1, null, empirical).Data), !withNngp || net.Readout is null ? null : ToDouble(EmpiricalNngp.Compute(net, x1).Data)),
                (s, k) =>
                {
                    int r = s / samples;
                    Accumulate(ref ntkSums[r], k.Ntk);
                    if (k.Nngp is null) nngpKnown = false; else Accumulate(ref nngpSums[r], k.Nngp);
                    double e = RelativeError(k.Ntk, ntk);
                    networkSquares += e * e;
                });
            var replicateErrors = ntkSums.Select(sum => RelativeError(Scaled(sum, 1.0 / samples), ntk)).ToList();
            double? nngpError = nngpKnown ? RootMeanSquare(nngpSums.Select(sum => RelativeError(Scaled(sum, 1.0 / samples), nngp))) : null;
            points.Add(new ConvergencePoint(widths[wi], RootMeanSquare(replicateErrors), nngpError, Math.Sqrt(networkSquares / (samples * replicates)),
                replicateErrors, clock.Elapsed.TotalSeconds));
        }
        var w = points.Select(p => (double)p.Width).ToList();
        return new ConvergenceResult(architecture.ToString(), samples, replicates, seed, points,
            FitOrNull(w, points.Select(p => p.NtkError).ToList()),
            points.All(p => p.NngpError is not null) ? FitOrNull(w, points.Select(p => p.NngpError!.Value).ToList()) : null,
            FitOrNull(w, points.Select(p => p.NetworkNtkError).ToList()));
    }

    private static void Accumulate(ref double[] sum, double[] values)
    {
        if (sum is null) { sum = (double[])values.Clone(); return; }   // null until the replicate's first network
        for (int i = 0; i < sum.Length; i++) sum[i] += values[i];
    }

    private static double[] Scaled(double[] values, double factor) => values.Select(v => v * factor).ToArray();

    private static double RootMeanSquare(IEnumerable<double> values) => Math.Sqrt(values.Average(v => v * v));

    /// <summary>The same architecture with every layer in NTK parameterisation (the spec's <c>parameterization</c> keys dropped).</summary>
    public static Architecture InNtkParameterization(Architecture architecture)
    {
        var json = JsonNode.Parse(architecture.ToJson())!;
        void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o: o.Remove("parameterization"); foreach (var (_, v) in o.ToList()) Strip(v); break;
                case JsonArray a: foreach (var v in a) Strip(v); break;
            }
        }
        Strip(json);
        return Architecture.Parse(json.ToJsonString());
    }

    /// <summary>‖a − b‖_F / ‖b‖_F.</summary>
    public static double RelativeError(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double num = 0, den = 0;
        for (int i = 0; i < b.Length; i++) { num += (a[i] - b[i]) * (a[i] - b[i]); den += b[i] * b[i]; }
        return Math.Sqrt(num / den);
    }

    private static LogLogFit? FitOrNull(List<double> x, List<double> y) =>
        x.Count >= 2 && y.All(v => v > 0 && double.IsFinite(v)) ? LogLogFit.Fit(x, y) : null;

    private static double[] ToDouble<T>(T[] data) where T : unmanaged, IFloatingPointIeee754<T> => data.Select(v => double.CreateTruncating(v)).ToArray();

    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
