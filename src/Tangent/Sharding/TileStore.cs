using Tangent.IO;

namespace Tangent.Sharding;

/// <summary>
/// A directory holding a kernel as tiles: <c>manifest.json</c> (see <see cref="StoreManifest"/>) and, under
/// <c>tiles/</c>, one standard .npy file per tile (<c>r00002-c00005.npy</c>, loadable with <c>np.load</c>) with its
/// <see cref="TileRecord"/> beside it (<c>r00002-c00005.json</c>). Any number of processes on any number of machines
/// may write to one store at once, as long as each runs a different shard: every file is written under a temporary
/// name, fsynced and renamed, so readers see a whole tile or none.
/// </summary>
public sealed class TileStore
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestFile = "manifest.json";

    /// <summary>The folder of tiles inside the store.</summary>
    public const string TilesFolder = "tiles";

    private TileStore(string directory, StoreManifest manifest)
    {
        Directory = Path.GetFullPath(directory);
        Manifest = manifest;
        Grid = manifest.Grid();
        TilesDirectory = Path.Combine(Directory, TilesFolder);
    }

    /// <summary>The store's directory (full path).</summary>
    public string Directory { get; }

    /// <summary>What the store holds.</summary>
    public StoreManifest Manifest { get; }

    /// <summary>The tiling.</summary>
    public TileGrid Grid { get; }

    /// <summary>Where the tiles are.</summary>
    public string TilesDirectory { get; }

    /// <summary>
    /// Opens the store at <paramref name="directory"/> for the job <paramref name="manifest"/> describes, creating it if it
    /// does not exist. Several shards may start at once on a new store: exactly one manifest is created (an atomic
    /// create-if-absent) and the others check theirs against it.
    /// </summary>
    /// <exception cref="DataFormatException">The store exists and was made for a different job (its message lists every difference).</exception>
    public static TileStore CreateOrOpen(string directory, StoreManifest manifest)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(manifest);
        if (File.Exists(directory)) throw new DataFormatException($"--store {directory}: is a file, not a directory");
        System.IO.Directory.CreateDirectory(Path.Combine(directory, TilesFolder));
        string path = Path.Combine(directory, ManifestFile);
        if (!File.Exists(path)) TryCreateManifest(path, manifest);
        var existing = Open(directory);
        var differences = existing.Manifest.DifferencesFrom(manifest);
        if (differences.Count > 0)
            throw new DataFormatException($"{directory}: this store was made for a different job ({string.Join("; ", differences)}); use another --store directory, or delete this one to start over");
        return existing;
    }

    /// <summary>Opens an existing store.</summary>
    /// <exception cref="DataFormatException">No store there, or its manifest is unreadable.</exception>
    public static TileStore Open(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string path = Path.Combine(directory, ManifestFile);
        if (!System.IO.Directory.Exists(directory)) throw new DataFormatException($"{directory}: no such store (no such directory)");
        if (!File.Exists(path)) throw new DataFormatException($"{directory}: not a tile store (no {ManifestFile})");
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new DataFormatException($"{path}: cannot read: {e.Message}"); }
        return new TileStore(directory, StoreManifest.Parse(json, path));
    }

    /// <summary>The .npy file of a tile.</summary>
    public string TilePath(TileIndex t) => Path.Combine(TilesDirectory, t.Name + ".npy");

    /// <summary>The record of a tile.</summary>
    public string RecordPath(TileIndex t) => Path.Combine(TilesDirectory, t.Name + ".json");

    /// <summary>The shard that computes <paramref name="t"/>.</summary>
    public ShardSpec ShardOf(TileIndex t) => new(TileGrid.ShardOf(Grid.OrdinalOf(t), Manifest.Shards), Manifest.Shards);

    /// <summary>The shape a tile must have.</summary>
    public (int Rows, int Cols) ShapeOf(TileIndex t) => (Grid.RowRange(t.Row).Length, Grid.ColRange(t.Col).Length);

    /// <summary>
    /// What is on disk for a tile, without reading its data: done (record present and consistent, file of the recorded
    /// size), missing, or broken (with the reason). Use <see cref="TileReader"/> to verify the checksum.
    /// </summary>
    public TileState Inspect(TileIndex t)
    {
        string recordPath = RecordPath(t);
        if (!File.Exists(recordPath)) return TileState.Missing();
        TileRecord? record;
        try { record = TileRecord.TryParse(File.ReadAllText(recordPath)); }
        catch (IOException e) { return TileState.Broken($"its record cannot be read ({e.Message})"); }
        var (rows, cols) = ShapeOf(t);
        if (record is null) return TileState.Broken("its record is not valid JSON");
        if (record.Row != t.Row || record.Col != t.Col || record.Rows != rows || record.Cols != cols || record.Dtype != Manifest.Dtype)
            return TileState.Broken("its record describes another tile");
        var file = new FileInfo(TilePath(t));
        if (!file.Exists) return TileState.Broken("its .npy file is missing");
        if (file.Length != record.Bytes) return TileState.Broken($"its .npy file has {file.Length} bytes, the record says {record.Bytes}");
        return TileState.Done(record);
    }

    /// <summary>Leftover temporaries of interrupted writes (<c>*.tmp-*</c>), which readers ignore.</summary>
    public IEnumerable<FileInfo> Temporaries() =>
        System.IO.Directory.Exists(TilesDirectory)
            ? new DirectoryInfo(TilesDirectory).EnumerateFiles("*.tmp-*")
            : [];

    /// <summary>A one-line description: "NTK float64, 30000 x 30000 symmetric, tiles of 2048 (120 tiles), 4 shards".</summary>
    public string Describe() =>
        $"{Manifest.Kernel.ToUpperInvariant()} {Manifest.Dtype}, {Manifest.Rows} x {Manifest.Cols}{(Manifest.Symmetric ? " symmetric" : "")}, " +
        $"tiles of {Manifest.TileSize} ({Grid.Tiles.Count} tiles), {Manifest.Shards} shard{(Manifest.Shards == 1 ? "" : "s")}";

    /// <summary>The error for a tile that fails verification, saying which shard to rerun.</summary>
    internal DataFormatException Corrupt(TileIndex t, string why) =>
        new($"{Directory}: tile {t.Name} is corrupt ({why}); rerun its shard {ShardOf(t)} to recompute it");

    private static void TryCreateManifest(string path, StoreManifest manifest)
    {
        // Write a complete temporary, then link it into place only if no manifest exists yet: of several shards
        // starting at once, one wins and the rest read the winner's (identical, when the jobs agree).
        string temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            using (var s = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                s.Write(System.Text.Encoding.UTF8.GetBytes(manifest.ToJson() + "\n"));
                s.Flush(flushToDisk: true);
            }
            try { File.Move(temp, path, overwrite: false); }
            catch (IOException) when (File.Exists(path)) { }
            DirectorySync.Flush(Path.GetDirectoryName(path)!);
        }
        finally
        {
            try { File.Delete(temp); } catch (IOException) { }
        }
    }
}

/// <summary>What is on disk for one tile.</summary>
/// <param name="Kind">Done, missing or broken.</param>
/// <param name="Record">The tile's record when done.</param>
/// <param name="Problem">Why it is broken.</param>
public sealed record TileState(TileStateKind Kind, TileRecord? Record, string? Problem)
{
    internal static TileState Missing() => new(TileStateKind.Missing, null, null);
    internal static TileState Done(TileRecord r) => new(TileStateKind.Done, r, null);
    internal static TileState Broken(string why) => new(TileStateKind.Broken, null, why);
}

/// <summary>The states of a tile on disk.</summary>
public enum TileStateKind
{
    /// <summary>Not written yet (or its record is not: a shard died between the two writes).</summary>
    Missing,
    /// <summary>Record and file present and consistent (checksum verified on read).</summary>
    Done,
    /// <summary>Something is on disk but it is not a usable tile; the shard recomputes it.</summary>
    Broken,
}
