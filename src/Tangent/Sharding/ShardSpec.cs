using System.Globalization;
using Tangent.IO;

namespace Tangent.Sharding;

/// <summary>
/// One share of a tile store's work: shard <see cref="Index"/> of <see cref="Count"/>, counted from 0 so that the
/// indices schedulers hand out (SLURM_ARRAY_TASK_ID with <c>--array=0-(N-1)</c>, Kubernetes JOB_COMPLETION_INDEX) can be
/// passed through unchanged.
/// </summary>
public readonly record struct ShardSpec
{
    /// <summary>A shard; throws <see cref="ArgumentOutOfRangeException"/> unless 0 ≤ index &lt; count.</summary>
    public ShardSpec(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        Index = index;
        Count = count;
    }

    /// <summary>Which shard, 0 ≤ Index &lt; Count.</summary>
    public int Index { get; }

    /// <summary>How many shards the work is split into.</summary>
    public int Count { get; }

    /// <summary>The whole work as one shard.</summary>
    public static ShardSpec Whole => new(0, 1);

    /// <summary>Parses <c>I/N</c> (e.g. <c>3/16</c>); throws <see cref="DataFormatException"/> with a one-line reason.</summary>
    public static ShardSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            throw new DataFormatException($"--shard '{text}': expected I/N with whole numbers, e.g. 0/4 (shards count from 0)");
        if (count < 1) throw new DataFormatException($"--shard '{text}': the number of shards must be at least 1");
        if (index >= count) throw new DataFormatException($"--shard '{text}': shards count from 0, so the index must be below {count} (0/{count} .. {count - 1}/{count})");
        return new ShardSpec(index, count);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";
}
