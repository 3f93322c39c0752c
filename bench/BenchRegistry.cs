namespace Tangent.Bench;

/// <summary>Every named figure of <c>tangent bench</c>.</summary>
public static class BenchRegistry
{
    public static IReadOnlyList<BenchDefinition> All { get; } = [.. MachineBenchmarks.All, .. KernelBenchmarks.All, .. ComponentBenchmarks.All, .. DynamicsBenchmarks.All, .. ShardingBenchmarks.All, .. EmpiricalBenchmarks.All, .. TrainingBenchmarks.All];

    /// <summary>The figures of <c>tangent bench --device cuda</c>.</summary>
    public static IReadOnlyList<BenchDefinition> Cuda { get; } = [.. GpuBenchmarks.All];
}
