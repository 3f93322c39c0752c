using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Sharding;

/// <summary>
/// An analytic kernel to be computed into a tile store: architecture, inputs, which kernel, precision and tiling. It
/// yields the store's manifest (with the inputs' fingerprints) and runs shards of it.
/// </summary>
public sealed class KernelStoreJob
{
    /// <summary>Default rows and columns of a tile: 32 MB of float64, large enough that per-file costs vanish, small enough to compute in seconds.</summary>
    public const int DefaultTileSize = 2048;

    /// <summary>Smallest tile side accepted.</summary>
    public const int MinTileSize = 16;

    private readonly Matrix<double> _x1;
    private readonly Matrix<double>? _x2;
    private Matrix<float>? _x1f, _x2f;

    /// <summary>A job for the kernel of <paramref name="x1"/> with <paramref name="x2"/> (or with itself when null).</summary>
    /// <param name="architecture">The network.</param>
    /// <param name="x1">Row inputs, one example per row, values as the kernel should see them (already scaled).</param>
    /// <param name="exampleShape">Shape of one example.</param>
    /// <param name="x2">Column inputs, or null.</param>
    /// <param name="ntk">The NTK (true) or the NNGP.</param>
    /// <param name="float32">Compute and store in float32 (half the bytes) instead of float64.</param>
    /// <param name="tileSize">Rows and columns of a tile.</param>
    /// <param name="preprocessing">Free text recorded in the manifest (e.g. "scale=unit limit=10000").</param>
    /// <exception cref="KernelRequestException">A tile would be too large for one file, or too small to be worth one.</exception>
    public KernelStoreJob(Architecture architecture, Matrix<double> x1, TensorShape exampleShape, Matrix<double>? x2 = null,
        bool ntk = true, bool float32 = false, int tileSize = DefaultTileSize, string? preprocessing = null)
    {
        Architecture = architecture ?? throw new ArgumentNullException(nameof(architecture));
        _x1 = x1 ?? throw new ArgumentNullException(nameof(x1));
        _x2 = x2;
        if (x2 is not null && x2.Cols != x1.Cols) throw new KernelRequestException($"x1 has {x1.Cols} values per example but x2 has {x2.Cols}");
        ExampleShape = exampleShape;
        Ntk = ntk;
        Float32 = float32;
        int size = float32 ? 4 : 8;
        long maxSide = (long)Math.Floor(Math.Sqrt((Array.MaxLength - 4096.0) / size));
        if (tileSize < MinTileSize || tileSize > maxSide)
            throw new KernelRequestException($"--tile {tileSize}: a tile side must be between {MinTileSize} and {maxSide} (one tile is one file of at most 2 GB)");
        TileSize = tileSize;
        Preprocessing = preprocessing;
    }

    /// <summary>The network.</summary>
    public Architecture Architecture { get; }
    /// <summary>Shape of one example.</summary>
    public TensorShape ExampleShape { get; }
    /// <summary>NTK or NNGP.</summary>
    public bool Ntk { get; }
    /// <summary>float32 instead of float64.</summary>
    public bool Float32 { get; }
    /// <summary>Tile side.</summary>
    public int TileSize { get; }
    /// <summary>Recorded in the manifest.</summary>
    public string? Preprocessing { get; }

    /// <summary>The manifest of a store for this job split into <paramref name="shards"/> shards.</summary>
    public StoreManifest Manifest(int shards) => new()
    {
        Kernel = Ntk ? "ntk" : "nngp",
        Dtype = Float32 ? "float32" : "float64",
        Architecture = Architecture.ToString(),
        Rows = _x1.Rows,
        Cols = (_x2 ?? _x1).Rows,
        Symmetric = _x2 is null,
        TileSize = TileSize,
        Shards = shards,
        X1 = Fingerprint(_x1),
        X2 = _x2 is null ? null : Fingerprint(_x2),
        Preprocessing = Preprocessing,
        Created = DateTimeOffset.UtcNow,
        CreatedBy = "tangent " + typeof(KernelStoreJob).Assembly.GetName().Version?.ToString(3),
    };

    /// <summary>Runs one shard into <paramref name="store"/> (which must have been opened for this job).</summary>
    /// <param name="store">The store, from <see cref="TileStore.CreateOrOpen"/> with <see cref="Manifest"/>.</param>
    /// <param name="shard">Which shard; its count must be the store's.</param>
    /// <param name="options">Progress, log, cancellation, tiles at once.</param>
    public ShardReport RunShard(TileStore store, ShardSpec shard, ShardRunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new ShardRunOptions();
        // Tiles run side by side, each with the managed threads left over (those do not change any bits; BLAS threads
        // would, and are held at one). A shard with fewer tiles than cores still uses every core for the elementwise part.
        int todo = Math.Max(1, store.Grid.TilesOf(shard).Count());
        int parallelism = Math.Clamp(Math.Min(options.Parallelism, todo), 1, Environment.ProcessorCount);
        int maxThreads = Math.Max(1, Environment.ProcessorCount / parallelism);
        options = new ShardRunOptions
        {
            Progress = options.Progress, Log = options.Log, Cancellation = options.Cancellation,
            PauseBeforeCommit = options.PauseBeforeCommit, Parallelism = parallelism,
        };
        EnsureTilesFit(store, parallelism);
        return Float32
            ? ShardRunner.Run(store, shard, new AnalyticTileComputer<float>(Architecture, _x1f ??= ToFloat(_x1), _x2 is null ? null : _x2f ??= ToFloat(_x2), ExampleShape, Ntk, store.Grid, maxThreads), options)
            : ShardRunner.Run(store, shard, new AnalyticTileComputer<double>(Architecture, _x1, _x2, ExampleShape, Ntk, store.Grid, maxThreads), options);
    }

    /// <summary>Refuses a run whose tiles in flight (NNGP + NTK each, plus the inputs' slices) would not fit in memory.</summary>
    private void EnsureTilesFit(TileStore store, int parallelism)
    {
        long side = Math.Min(TileSize, Math.Max(store.Manifest.Rows, store.Manifest.Cols));
        int size = Float32 ? 4 : 8;
        MemoryBudget.EnsureFits(side * parallelism, side, Ntk ? 3 : 2, size, null, $"{parallelism} tile{(parallelism == 1 ? "" : "s")} in flight");
    }

    private InputFingerprint Fingerprint(Matrix<double> x)
    {
        int[] shape = ExampleShape.IsFlat ? [x.Rows, x.Cols] : [x.Rows, .. ExampleShape.Spatial, ExampleShape.Channels];
        return InputFingerprint.Of(x.Data, shape);
    }

    private static Matrix<float> ToFloat(Matrix<double> x)
    {
        var data = new float[x.Data.Length];
        for (int i = 0; i < data.Length; i++) data[i] = (float)x.Data[i];
        return new Matrix<float>(x.Rows, x.Cols, data);
    }
}
