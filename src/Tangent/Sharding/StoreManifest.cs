using System.Text.Json;
using System.Text.Json.Serialization;
using Tangent.IO;

namespace Tangent.Sharding;

/// <summary>
/// The description of a tile store, written once when the store is created (<c>manifest.json</c>) and never changed:
/// which kernel of which architecture on which inputs, in which precision, cut into which tiles, split into how many
/// shards. Every shard checks it before writing a tile, so a rerun with a different spec, inputs, tiling or shard count is
/// refused. Per-tile shapes and checksums live next to each tile (<see cref="TileRecord"/>), written by the shard that
/// computed it, so shards never contend for one file.
/// </summary>
public sealed record StoreManifest
{
    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "tangent-tile-store";

    /// <summary>The layout version this code reads and writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Always <see cref="FormatName"/>: tells a Tangent store from any other directory with a manifest.json.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>Layout version.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>"ntk" or "nngp".</summary>
    public required string Kernel { get; init; }

    /// <summary>"float64" or "float32": the precision of the computation and of the tiles.</summary>
    public required string Dtype { get; init; }

    /// <summary>The architecture in Tangent's text form (canonical, as <c>Architecture.ToString()</c> writes it).</summary>
    public required string Architecture { get; init; }

    /// <summary>Rows of the kernel.</summary>
    public required int Rows { get; init; }

    /// <summary>Columns of the kernel.</summary>
    public required int Cols { get; init; }

    /// <summary>True when the kernel is of x1 with itself and only tiles on and above the diagonal are stored.</summary>
    public required bool Symmetric { get; init; }

    /// <summary>Rows and columns of a full tile.</summary>
    public required int TileSize { get; init; }

    /// <summary>How many shards the tiles are split into (see <see cref="TileGrid.ShardOf"/>).</summary>
    public required int Shards { get; init; }

    /// <summary>The row inputs.</summary>
    public required InputFingerprint X1 { get; init; }

    /// <summary>The column inputs, or null when the kernel is symmetric.</summary>
    public InputFingerprint? X2 { get; init; }

    /// <summary>Checksum algorithm of the tile records.</summary>
    public string Checksum { get; init; } = ContentHash.Algorithm;

    /// <summary>Free text on how the inputs were prepared (informational; the fingerprints are what is checked).</summary>
    public string? Preprocessing { get; init; }

    /// <summary>When the store was created (informational).</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>The Tangent version that created it (informational).</summary>
    public string? CreatedBy { get; init; }

    /// <summary>Bytes per kernel entry.</summary>
    [JsonIgnore] public int ElementSize => Dtype == "float32" ? 4 : 8;

    /// <summary>The tiling this manifest describes.</summary>
    public TileGrid Grid() => new(Rows, Cols, TileSize, Symmetric);

    /// <summary>
    /// The differences that make a store unusable for <paramref name="requested"/>, one phrase each
    /// ("the kernel: stored ntk, asked nngp"); empty when compatible. Informational fields are not compared.
    /// </summary>
    public IReadOnlyList<string> DifferencesFrom(StoreManifest requested)
    {
        var d = new List<string>();
        void Check<TV>(string what, TV stored, TV asked)
        {
            if (!EqualityComparer<TV>.Default.Equals(stored, asked)) d.Add($"{what}: stored {stored}, asked {asked}");
        }
        Check("the kernel", Kernel, requested.Kernel);
        Check("the dtype", Dtype, requested.Dtype);
        Check("the architecture", Architecture, requested.Architecture);
        Check("the tile size", TileSize, requested.TileSize);
        Check("the shard count", Shards, requested.Shards);
        Check("symmetry (x2 given or not)", Symmetric, requested.Symmetric);
        if (!X1.Matches(requested.X1)) d.Add($"the inputs x1: stored {X1}, asked {requested.X1}");
        if (X2 is null != requested.X2 is null || X2 is not null && !X2.Matches(requested.X2))
            d.Add($"the inputs x2: stored {X2?.ToString() ?? "none"}, asked {requested.X2?.ToString() ?? "none"}");
        return d;
    }

    /// <summary>JSON as written to manifest.json (indented, snake_case).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, StoreJson.Options);

    /// <summary>Reads a manifest; throws <see cref="DataFormatException"/> naming <paramref name="path"/> if it is not one this code understands.</summary>
    public static StoreManifest Parse(string json, string path)
    {
        StoreManifest? m;
        try { m = JsonSerializer.Deserialize<StoreManifest>(json, StoreJson.Options); }
        catch (JsonException e) { throw new DataFormatException($"{path}: not a Tangent tile-store manifest ({e.Message.Split('\n')[0]})"); }
        if (m is null || m.Format != FormatName) throw new DataFormatException($"{path}: not a Tangent tile-store manifest");
        if (m.Version != CurrentVersion) throw new DataFormatException($"{path}: tile-store layout version {m.Version}; this Tangent reads version {CurrentVersion}");
        if (m.Kernel is not ("ntk" or "nngp") || m.Dtype is not ("float64" or "float32") || m.Rows < 1 || m.Cols < 1 || m.TileSize < 1 || m.Shards < 1
            || m.Symmetric && (m.Rows != m.Cols || m.X2 is not null) || m.Checksum != ContentHash.Algorithm)
            throw new DataFormatException($"{path}: inconsistent tile-store manifest");
        return m;
    }
}

/// <summary>JSON settings shared by the store's files.</summary>
internal static class StoreJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectRequiredConstructorParameters = true,
    };
}
