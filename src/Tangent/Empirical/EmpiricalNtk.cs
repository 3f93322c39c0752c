using System.Numerics;
using Tangent.Linalg;
using Tangent.Networks;

namespace Tangent.Empirical;

/// <summary>
/// The empirical NTK of a finite network, Θ(x, x') = Σ_θ ∂f(x)/∂θ ∂f(x')/∂θᵀ over all parameters (weights and biases),
/// computed from one forward pass and one backward pass per batch with all outputs' cotangents at once.
/// </summary>
public static class EmpiricalNtk
{
    /// <summary>
    /// The empirical NTK between the rows of <paramref name="x1"/> and those of <paramref name="x2"/> (or of
    /// <paramref name="x1"/> with itself, exactly symmetric, when <paramref name="x2"/> is null).
    /// </summary>
    public static EmpiricalKernel<T> Compute<T>(FiniteNetwork<T> network, Matrix<T> x1, Matrix<T>? x2 = null, EmpiricalOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new EmpiricalOptions();
        network.CheckInput(x1);
        if (x2 is not null) network.CheckInput(x2);
        IPairContraction<T> engine = options.Method == EmpiricalMethod.Structured
            ? Engines<T>.Structured ??= new StructuredNtk<T>()
            : Engines<T>.Contraction ??= new ContractionNtk<T>();
        int o = network.OutputCount, n1 = x1.Rows, n2 = x2?.Rows ?? n1;
        bool full = options.Full;
        int rows = full ? n1 * o : n1, cols = full ? n2 * o : n2;
        var pairs = new T[checked(rows * cols)];
        if (x2 is null)
        {
            IdentityBackward.Run(network, x1.Data, n1, new SymmetricSink<T>(engine, n1, o, full, pairs));
            Mirror.UpperToLower(rows, pairs.AsSpan());
        }
        else
        {
            var first = FactorCapture<T>.Run(network, x1.Data, n1);
            IdentityBackward.Run(network, x2.Data, n2, new CrossSink<T>(engine, first, n2, o, full, pairs));
        }
        // Keep small scratch for the next call (Monte Carlo runs thousands); let large buffers go with the engine.
        if (engine.ScratchElements > KeepScratchElements)
        {
            if (options.Method == EmpiricalMethod.Structured) Engines<T>.Structured = null; else Engines<T>.Contraction = null;
        }
        return new EmpiricalKernel<T>(n1, n2, o, full, full ? PairMajorToFull(pairs, n1, n2, o) : pairs);
    }

    private const long KeepScratchElements = 1 << 22;

    /// <summary>[(i,o), (j,o')] → [i, j, o, o'].</summary>
    private static T[] PairMajorToFull<T>(T[] pairs, int n1, int n2, int o)
    {
        var full = new T[pairs.Length];
        for (int i = 0; i < n1; i++)
            for (int u = 0; u < o; u++)
                for (int j = 0; j < n2; j++)
                    pairs.AsSpan(((i * o + u) * n2 + j) * o, o).CopyTo(full.AsSpan(((i * n2 + j) * o + u) * o, o));
        return full;
    }

    /// <summary>Contributions of x1 with itself, computed as each layer's factors arrive (nothing is copied).</summary>
    private sealed class SymmetricSink<T>(IPairContraction<T> engine, int n, int o, bool full, T[] pairs) : IWeightGradientSink<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Accept(WeightLayer<T> layer, ReadOnlySpan<T> patches, ReadOnlySpan<T> dy, int batch, int m) =>
            engine.Accumulate(layer, patches, dy, n, patches, dy, n, symmetric: true, o, full, pairs);
    }

    /// <summary>Contributions of x1 (captured earlier) with x2, as x2's factors arrive.</summary>
    private sealed class CrossSink<T>(IPairContraction<T> engine, List<LayerFactors<T>> first, int n2, int o, bool full, T[] pairs) : IWeightGradientSink<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Accept(WeightLayer<T> layer, ReadOnlySpan<T> patches, ReadOnlySpan<T> dy, int batch, int m)
        {
            var f = first.Find(x => ReferenceEquals(x.Layer, layer)) ?? throw new InvalidOperationException("layer missing from the first batch");
            engine.Accumulate(layer, f.Patches, f.Cotangents, f.N, patches, dy, n2, symmetric: false, o, full, pairs);
        }
    }

    /// <summary>One engine per thread and precision, so their scratch buffers are reused across calls (Monte Carlo runs thousands).</summary>
    private static class Engines<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] public static StructuredNtk<T>? Structured;
        [ThreadStatic] public static ContractionNtk<T>? Contraction;
    }
}
