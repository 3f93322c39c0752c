using System.Numerics;
using System.Numerics.Tensors;
using Tangent.Linalg;
using Tangent.Networks;

namespace Tangent.Empirical;

/// <summary>
/// The reference empirical NTK: per-example Jacobians materialised and contracted, Θ = Σ_θ J(x) J(x')ᵀ. The Jacobian
/// of output o with respect to W_{c,k} is m_W·Σ_p dy_{o,p,c}·patch_{p,k}, and with respect to b_c it is
/// m_b·Σ_p dy_{o,p,c}; it is written out for a chunk of output channels at a time (all examples, all outputs) and
/// contracted with one SYRK/GEMM per chunk, so memory stays bounded while every parameter's column exists once.
/// </summary>
internal sealed class ContractionNtk<T> : IPairContraction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const long Budget = 1 << 24;   // Jacobian entries per chunk and side
    private T[]? _j1, _j2, _square;

    public long ScratchElements => (long)(_j1?.Length ?? 0) + (_j2?.Length ?? 0) + (_square?.Length ?? 0);

    public void Accumulate(WeightLayer<T> layer, ReadOnlySpan<T> patches1, ReadOnlySpan<T> cotangents1, int n1,
        ReadOnlySpan<T> patches2, ReadOnlySpan<T> cotangents2, int n2, bool symmetric, int outputs, bool full, Span<T> kernel)
    {
        int k = layer.FanIn, c = layer.FanOut, o = outputs;
        // Traced: one row per example holding every output's Jacobian, so J Jᵀ sums over outputs. Full: one row per (x, o).
        int rows1 = full ? n1 * o : n1, rows2 = full ? n2 * o : n2;
        int perChannel = full ? k : o * k;
        int chunk = (int)Math.Clamp(Budget / ((long)Math.Max(rows1, rows2) * perChannel), 1, c);
        T alpha = full ? T.One : T.One / T.CreateTruncating(o);
        for (int c0 = 0; c0 < c; c0 += chunk)
        {
            int cc = Math.Min(chunk, c - c0), width = cc * perChannel;
            var j1 = Scratch(ref _j1, (long)rows1 * width);
            WeightJacobian(layer, patches1, cotangents1, n1, o, c0, cc, j1);
            if (symmetric) Contract(j1, j1, rows1, rows2, width, alpha, true, kernel);
            else
            {
                var j2 = Scratch(ref _j2, (long)rows2 * width);
                WeightJacobian(layer, patches2, cotangents2, n2, o, c0, cc, j2);
                Contract(j1, j2, rows1, rows2, width, alpha, false, kernel);
            }
        }
        // Bias: J[(x,o), c] = m_b Σ_p dy_{o,p,c}.
        int biasWidth = full ? c : o * c;
        var b1 = Scratch(ref _j1, (long)rows1 * biasWidth);
        BiasJacobian(layer, cotangents1, n1, o, b1);
        if (symmetric) Contract(b1, b1, rows1, rows2, biasWidth, alpha, true, kernel);
        else
        {
            var b2 = Scratch(ref _j2, (long)rows2 * biasWidth);
            BiasJacobian(layer, cotangents2, n2, o, b2);
            Contract(b1, b2, rows1, rows2, biasWidth, alpha, false, kernel);
        }
    }

    /// <summary>
    /// J[(x, o), (c − c0, k)] = m_W·Σ_p dy[(x,o,p), c]·patch[(x,p), k]. Row-major (x, o, c, k) is both layouts at once:
    /// rows (x, o) for the full kernel, rows x holding every output for the traced one.
    /// </summary>
    private static void WeightJacobian(WeightLayer<T> layer, ReadOnlySpan<T> patches, ReadOnlySpan<T> dy, int n, int o, int c0, int cc, Span<T> j)
    {
        int p = layer.Positions, k = layer.FanIn, c = layer.FanOut;
        T mw = layer.WeightMultiplier;
        for (int x = 0; x < n; x++)
            for (int u = 0; u < o; u++)
            {
                var row = j.Slice((x * o + u) * cc * k, cc * k);
                if (p == 1)
                {
                    // One position (Dense on flat data): each channel's block is a scaled copy of the input.
                    var g1 = dy.Slice(((x * o + u) * p) * c, c);
                    for (int ch = 0; ch < cc; ch++) TensorPrimitives.Multiply<T>(patches.Slice(x * k, k), mw * g1[c0 + ch], row.Slice(ch * k, k));
                    continue;
                }
                row.Clear();
                for (int q = 0; q < p; q++)
                {
                    var patch = patches.Slice((x * p + q) * k, k);
                    var g = dy.Slice(((x * o + u) * p + q) * c, c);
                    for (int ch = 0; ch < cc; ch++)
                    {
                        var target = row.Slice(ch * k, k);
                        TensorPrimitives.MultiplyAdd<T>(patch, mw * g[c0 + ch], target, target);
                    }
                }
            }
    }

    private static void BiasJacobian(WeightLayer<T> layer, ReadOnlySpan<T> dy, int n, int o, Span<T> j)
    {
        int p = layer.Positions, c = layer.FanOut;
        T mb = layer.BiasMultiplier;
        j[..(n * o * c)].Clear();
        for (int r = 0; r < n * o; r++)
            for (int q = 0; q < p; q++)
                TensorPrimitives.MultiplyAdd<T>(dy.Slice((r * p + q) * c, c), mb, j.Slice(r * c, c), j.Slice(r * c, c));
    }

    /// <summary>kernel += alpha·J1 J2ᵀ (upper triangle only when symmetric).</summary>
    private void Contract(ReadOnlySpan<T> j1, ReadOnlySpan<T> j2, int rows1, int rows2, int width, T alpha, bool symmetric, Span<T> kernel)
    {
        var la = LinearAlgebra.Current;
        if (!symmetric) { la.GemmNT(rows1, rows2, width, alpha, j1, j2, T.One, kernel[..(rows1 * rows2)]); return; }
        var square = Scratch(ref _square, (long)rows1 * rows1);
        la.SyrkUpper(rows1, width, alpha, j1, square);
        for (int i = 0; i < rows1; i++)
        {
            var target = kernel.Slice(i * rows1 + i, rows1 - i);
            TensorPrimitives.Add<T>(target, square.Slice(i * rows1 + i, rows1 - i), target);
        }
    }

    private static Span<T> Scratch(ref T[]? buffer, long length)
    {
        if (buffer is null || buffer.Length < length) buffer = new T[checked((int)length)];
        return buffer.AsSpan(0, (int)length);
    }
}
