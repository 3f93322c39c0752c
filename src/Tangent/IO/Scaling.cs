namespace Tangent.IO;

/// <summary>How inputs are rescaled before a kernel sees them.</summary>
public enum ScaleMode
{
    /// <summary>As read.</summary>
    None,
    /// <summary>Divided by the largest absolute value of the first input set (pixels 0..255 become 0..1).</summary>
    Unit,
    /// <summary>Each channel (last axis) shifted to mean 0 and scaled to variance 1, with the first set's statistics.</summary>
    Standardize,
}

/// <summary>Input preprocessing for the command line: taking the first rows and rescaling, with one set's statistics for both.</summary>
public static class Scaling
{
    /// <summary>The first <paramref name="count"/> examples (all when <paramref name="count"/> is null or larger).</summary>
    public static NdArray Take(NdArray a, int? count)
    {
        if (count is not { } n || n >= a.Rows) return a;
        if (n < 1) throw new DataFormatException($"cannot take {n} examples");
        var shape = (int[])a.Shape.Clone();
        shape[0] = n;
        return new NdArray(shape, a.Data[..(n * a.RowLength)], a.SourceType);
    }

    /// <summary>Rescales <paramref name="reference"/> and, with the same statistics, <paramref name="other"/>, in place.</summary>
    public static void Apply(ScaleMode mode, NdArray reference, NdArray? other)
    {
        switch (mode)
        {
            case ScaleMode.None:
                return;
            case ScaleMode.Unit:
            {
                double max = 0;
                foreach (var v in reference.Data) max = Math.Max(max, Math.Abs(v));
                if (max == 0) return;
                foreach (var a in other is null ? [reference] : new[] { reference, other })
                    for (int i = 0; i < a.Data.Length; i++) a.Data[i] /= max;
                return;
            }
            case ScaleMode.Standardize:
            {
                int channels = reference.Shape.Length <= 1 ? 1 : reference.Shape[^1];
                var mean = new double[channels];
                var m2 = new double[channels];
                long count = reference.Data.Length / channels;
                for (int i = 0; i < reference.Data.Length; i++) mean[i % channels] += reference.Data[i];
                for (int c = 0; c < channels; c++) mean[c] /= count;
                for (int i = 0; i < reference.Data.Length; i++) { double d = reference.Data[i] - mean[i % channels]; m2[i % channels] += d * d; }
                var scale = m2.Select(v => v > 0 ? 1 / Math.Sqrt(v / count) : 1.0).ToArray();
                foreach (var a in other is null ? [reference] : new[] { reference, other })
                {
                    if ((a.Shape.Length <= 1 ? 1 : a.Shape[^1]) != channels)
                        throw new DataFormatException($"inputs have {a.Shape[^1]} channels but the first set has {channels}");
                    for (int i = 0; i < a.Data.Length; i++) a.Data[i] = (a.Data[i] - mean[i % channels]) * scale[i % channels];
                }
                return;
            }
        }
    }
}
