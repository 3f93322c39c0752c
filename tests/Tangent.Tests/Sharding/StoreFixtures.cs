using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Sharding;
using Tangent.Specs;

namespace Tangent.Tests.Sharding;

/// <summary>Inputs, architectures and in-process store runs shared by the sharding tests.</summary>
internal static class StoreFixtures
{
    public const string Relu3 = "dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense";
    public const string Erf2 = "dense(w=1.2,b=0.3) > erf > dense(w=1.5) > erf > dense";
    public const string SmallCnn = "conv(c=4,f=3,pad=same,w=1.41,b=0.1) > relu > conv(c=4,f=3,pad=same,w=1.41) > relu > global_avg_pool > dense";

    /// <summary>Gaussian rows with a random per-row scale (so variances differ between points, as in real data).</summary>
    public static Matrix<double> Points(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var x = new Matrix<double>(n, d);
        for (int i = 0; i < n; i++)
        {
            double scale = 0.5 + rng.NextDouble();
            for (int j = 0; j < d; j++) x[i, j] = scale * Normal(rng);
        }
        return x;
    }

    public static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Runs every shard of a fresh store for the job in this process and returns the open store.</summary>
    public static TileStore Build(string dir, KernelStoreJob job, int shards, int workers = 1)
    {
        var store = TileStore.CreateOrOpen(dir, job.Manifest(shards));
        LocalWorkers.Run(store, job, workers);
        return store;
    }

    public static KernelStoreJob FlatJob(Matrix<double> x, int tile, Matrix<double>? x2 = null, string arch = Relu3, bool ntk = true, bool f32 = false) =>
        new(Architecture.Parse(arch), x, TensorShape.Flat(x.Cols), x2, ntk, f32, tile);
}
