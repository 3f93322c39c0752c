using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Sharding;
using Tangent.Specs;
using Tangent.Tests.IO;

namespace Tangent.Tests.Sharding;

/// <summary>
/// A store's kernel depends on the inputs, the spec, the dtype and the tile size only: not on how many shards or
/// workers computed it, nor on the thread count. It equals the kernel computed in one call up to the rounding of the
/// input Gram matrix, which BLAS computes with different kernels for different block shapes (and exactly when no
/// BLAS is involved, as for convolutional networks).
/// </summary>
public class TileDeterminismTests
{
    [Theory]
    [InlineData(StoreFixtures.Relu3, 37, false)]    // tiles that divide neither N nor the engine's 128 nor a vector width
    [InlineData(StoreFixtures.Erf2, 64, true)]
    public void Shard_and_worker_counts_do_not_change_a_bit(string arch, int tile, bool f32)
    {
        var x = StoreFixtures.Points(301, 23, seed: 1);
        using var one = new TempDir();
        using var four = new TempDir();
        var a = StoreMerger.ReadDense(StoreFixtures.Build(one.Path, StoreFixtures.FlatJob(x, tile, arch: arch, f32: f32), shards: 1, workers: 1));
        var b = StoreMerger.ReadDense(StoreFixtures.Build(four.Path, StoreFixtures.FlatJob(x, tile, arch: arch, f32: f32), shards: 4, workers: 2));
        AssertBits(a.Data, b.Data);
    }

    [Theory]
    [InlineData(StoreFixtures.Relu3, 37)]
    [InlineData(StoreFixtures.Erf2, 128)]
    public void Symmetric_store_agrees_with_the_whole_kernel_to_rounding(string arch, int tile)
    {
        var x = StoreFixtures.Points(301, 23, seed: 1);
        var whole = AnalyticKernel.Compute(Architecture.Parse(arch), x).Ntk!;
        using var dir = new TempDir();
        var merged = StoreMerger.ReadDense(StoreFixtures.Build(dir.Path, StoreFixtures.FlatJob(x, tile, arch: arch), 3, workers: 2));
        AssertClose(whole.Data, merged.Data);
        AssertSymmetric(merged);
    }

    [Fact]
    public void Cross_kernel_nngp_agrees_with_the_whole_kernel_to_rounding()
    {
        var x1 = StoreFixtures.Points(150, 17, seed: 2);
        var x2 = StoreFixtures.Points(91, 17, seed: 3);
        var whole = AnalyticKernel.Compute(Architecture.Parse(StoreFixtures.Relu3), x1, x2, new KernelOptions { Ntk = false }).Nngp;
        using var dir = new TempDir();
        var store = StoreFixtures.Build(dir.Path, StoreFixtures.FlatJob(x1, 40, x2, ntk: false), 3);
        AssertClose(whole.Data, StoreMerger.ReadDense(store).Data);
    }

    [Fact]
    public void Images_match_the_whole_kernel_bit_for_bit()
    {
        // No BLAS on this path: every pair is computed on its own, so tiles reproduce the whole kernel exactly.
        var shape = new TensorShape([5, 5], 2);
        var x = StoreFixtures.Points(45, 50, seed: 5);
        var arch = Architecture.Parse(StoreFixtures.SmallCnn);
        var whole = AnalyticKernel.ComputeImages(arch, x, shape).Ntk!;
        using var dir = new TempDir();
        var store = StoreFixtures.Build(dir.Path, new KernelStoreJob(arch, x, shape, tileSize: 20), 2, workers: 2);
        AssertBits(whole.Data, StoreMerger.ReadDense(store).Data);
    }

    [Fact]
    public void A_tile_does_not_depend_on_managed_or_blas_threads()
    {
        // Large enough that a threaded BLAS splits its GEMM and SYRK (unpinned, its thread count changes SYRK's bits).
        var x = StoreFixtures.Points(600, 300, seed: 6);
        var grid = new TileGrid(600, 600, 256, symmetric: true);
        var arch = Architecture.Parse(StoreFixtures.Relu3);
        var one = new AnalyticTileComputer<double>(arch, x, null, TensorShape.Flat(300), true, grid, maxThreads: 1);
        var all = new AnalyticTileComputer<double>(arch, x, null, TensorShape.Flat(300), true, grid, maxThreads: -1);
        var tiles = grid.Tiles;
        List<double[]> reference;
        using (LinearAlgebra.PinNativeToOneThread())
        {
            reference = tiles.Select(t => all.Compute(t, default)).ToList();
            for (int i = 0; i < tiles.Count; i++) AssertBits(reference[i], one.Compute(tiles[i], default));
        }

        // Shards pin the BLAS themselves, whatever it was set to (another machine's core count, OPENBLAS_NUM_THREADS).
        var job = StoreFixtures.FlatJob(x, 256);
        try
        {
            foreach (var (blasThreads, parallelism) in new[] { (2, 1), (1, 2) })
            {
                LinearAlgebra.SetNativeThreads(blasThreads);
                using var dir = new TempDir();
                var store = TileStore.CreateOrOpen(dir.Path, job.Manifest(1));
                job.RunShard(store, ShardSpec.Whole, new ShardRunOptions { Parallelism = parallelism });
                var reader = new TileReader(store);
                for (int i = 0; i < tiles.Count; i++) AssertBits(reference[i], reader.Read(tiles[i]).Float64.ToArray());
            }
        }
        finally { LinearAlgebra.SetNativeThreads(Environment.ProcessorCount); }
    }

    internal static void AssertBits(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
                Assert.Fail($"entry {i} differs: {expected[i]:R} vs {actual[i]:R}");
    }

    /// <summary>
    /// Within 1e-13 of the largest entry: the Gram entries differ by an ulp or two (1e-16 relative), which three layers
    /// of the arccos recursion amplify by far less than 1000 away from correlation ±1. A wrong tile placement or a
    /// transposition bug is off by O(1).
    /// </summary>
    internal static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
            if (Math.Abs(expected[i] - actual[i]) > 1e-13 * scale)
                Assert.Fail($"entry {i} differs: {expected[i]:R} vs {actual[i]:R}");
    }

    internal static void AssertSymmetric(Matrix<double> k)
    {
        for (int i = 0; i < k.Rows; i++)
            for (int j = 0; j < i; j++)
                if (BitConverter.DoubleToInt64Bits(k[i, j]) != BitConverter.DoubleToInt64Bits(k[j, i]))
                    Assert.Fail($"not exactly symmetric at ({i}, {j})");
    }
}
