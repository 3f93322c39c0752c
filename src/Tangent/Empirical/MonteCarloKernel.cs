using System.Numerics;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Empirical;

/// <summary>Which empirical kernel: the NTK, or the NNGP of the readout features.</summary>
public enum EmpiricalKernelKind
{
    /// <summary>The neural tangent kernel.</summary>
    Ntk,
    /// <summary>The NNGP of the readout features (<see cref="EmpiricalNngp"/>).</summary>
    Nngp,
}

/// <summary>How to sample a Monte Carlo kernel.</summary>
public sealed record MonteCarloOptions
{
    /// <summary>M: networks drawn.</summary>
    public int Samples { get; init; } = 1;
    /// <summary>The run's seed; network s is initialised from <see cref="SeededNormal.Sample"/>(Seed, s).</summary>
    public ulong Seed { get; init; }
    /// <summary>Networks computed at once (each thread owns one network); default: the processor count.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>NTK or NNGP.</summary>
    public EmpiricalKernelKind Kind { get; init; } = EmpiricalKernelKind.Ntk;
    /// <summary>Method and full/traced output for each network's kernel.</summary>
    public EmpiricalOptions Empirical { get; init; } = new();
    /// <summary>Receives the fraction of networks done.</summary>
    public IProgress<double>? Progress { get; init; }
    /// <summary>Stops between networks.</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>
/// The Monte Carlo kernel: the mean of the empirical kernels of M independently initialised networks, which tends to the
/// infinite-width kernel as the width grows. Streamed: each thread builds one network and redraws its parameters for every
/// sample, and each sample's kernel is folded into the mean as soon as all earlier ones have been, in sample order, so the
/// result does not depend on the thread count and memory holds about one kernel per thread.
/// </summary>
public static class MonteCarloKernel
{
    /// <summary>The mean kernel over <see cref="MonteCarloOptions.Samples"/> networks built from <paramref name="architecture"/>.</summary>
    public static EmpiricalKernel<T> Mean<T>(Architecture architecture, TensorShape input, Matrix<T> x1, Matrix<T>? x2,
        FiniteNetworkOptions network, MonteCarloOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[]? sum = null;
        EmpiricalKernel<T>? shape = null;
        Stream(architecture, input, x1, x2, network, options, (_, k) =>
        {
            shape ??= k;
            if (sum is null) sum = (T[])k.Data.Clone();
            else System.Numerics.Tensors.TensorPrimitives.Add<T>(sum, k.Data, sum);
        });
        T inv = T.One / T.CreateTruncating(options.Samples);
        System.Numerics.Tensors.TensorPrimitives.Multiply<T>(sum!, inv, sum!);
        return new EmpiricalKernel<T>(shape!.N1, shape.N2, shape.Outputs, shape.Full, sum!);
    }

    /// <summary>
    /// Computes every sample's kernel and hands it to <paramref name="consume"/> (sample index, kernel) in sample order,
    /// one call at a time.
    /// </summary>
    public static void Stream<T>(Architecture architecture, TensorShape input, Matrix<T> x1, Matrix<T>? x2,
        FiniteNetworkOptions network, MonteCarloOptions options, Action<int, EmpiricalKernel<T>> consume) where T : unmanaged, IFloatingPointIeee754<T> =>
        Map<T, EmpiricalKernel<T>>(architecture, input, network, options, net => options.Kind == EmpiricalKernelKind.Ntk
            ? EmpiricalNtk.Compute(net, x1, x2, options.Empirical)
            : EmpiricalNngp.Compute(net, x1, x2, options.Empirical.Full), consume);

    /// <summary>
    /// Draws <see cref="MonteCarloOptions.Samples"/> networks (sample s seeded with <see cref="SeededNormal.Sample"/>(Seed, s)),
    /// applies <paramref name="compute"/> to each on <see cref="MonteCarloOptions.Threads"/> threads (each thread owns one
    /// network and redraws its parameters), and hands the results to <paramref name="consume"/> in sample order, one call at
    /// a time.
    /// </summary>
    public static void Map<T, TResult>(Architecture architecture, TensorShape input, FiniteNetworkOptions network, MonteCarloOptions options,
        Func<FiniteNetwork<T>, TResult> compute, Action<int, TResult> consume) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Samples, 1);
        int threads = Math.Clamp(options.Threads, 1, options.Samples);
        // The networks already occupy every core; BLAS threads on top of them would only contend (PERFORMANCE.md), so the
        // native library runs single-threaded meanwhile and gets all cores back afterwards.
        // The pin is shared and counted: setting the count directly would undo a concurrent deterministic-BLAS pin.
        using (threads > 1 ? LinearAlgebra.PinNativeToOneThread() : null)
            RunWorkers(architecture, input, network, options, compute, consume, threads);
    }

    private static void RunWorkers<T, TResult>(Architecture architecture, TensorShape input, FiniteNetworkOptions network, MonteCarloOptions options,
        Func<FiniteNetwork<T>, TResult> compute, Action<int, TResult> consume, int threads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int next = -1, done = 0, delivered = 0;
        var pending = new Dictionary<int, TResult>();
        var gate = new object();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = options.Cancellation }, _ =>
        {
            FiniteNetwork<T>? net = null;
            for (int s = Interlocked.Increment(ref next); s < options.Samples; s = Interlocked.Increment(ref next))
            {
                options.Cancellation.ThrowIfCancellationRequested();
                var source = new SeededParameters(SeededNormal.Sample(options.Seed, s));
                if (net is null) net = FiniteNetwork<T>.Create(architecture, input, network with { Source = source });
                else net.Reinitialise(source);
                var result = compute(net);
                lock (gate)
                {
                    pending[s] = result;
                    while (pending.Remove(delivered, out var ready)) consume(delivered++, ready);
                    options.Progress?.Report(++done / (double)options.Samples);
                }
            }
        });
    }
}
