using System.Text.Json;

namespace Tangent.Sharding;

/// <summary>
/// What a shard writes next to each finished tile (<c>rXXXXX-cXXXXX.json</c>), after the tile itself is on disk under its
/// final name: its shape, size and checksum, and who computed it. A tile counts as done only when its record exists,
/// so a shard killed between the two writes leaves a tile that the rerun simply recomputes (to the same bits).
/// </summary>
public sealed record TileRecord
{
    /// <summary>Tile row in the grid.</summary>
    public required int Row { get; init; }
    /// <summary>Tile column in the grid.</summary>
    public required int Col { get; init; }
    /// <summary>Kernel rows in the tile.</summary>
    public required int Rows { get; init; }
    /// <summary>Kernel columns in the tile.</summary>
    public required int Cols { get; init; }
    /// <summary>"float64" or "float32".</summary>
    public required string Dtype { get; init; }
    /// <summary>Size of the .npy file in bytes.</summary>
    public required long Bytes { get; init; }
    /// <summary>XXH128 of the whole .npy file (header and data).</summary>
    public required string Xxh128 { get; init; }
    /// <summary>The shard that computed it, as I/N.</summary>
    public string? Shard { get; init; }
    /// <summary>Seconds spent computing it (not writing).</summary>
    public double? Seconds { get; init; }
    /// <summary>The machine that computed it (for tracing a bad node on a cluster).</summary>
    public string? Host { get; init; }
    /// <summary>When it was committed.</summary>
    public DateTimeOffset? Written { get; init; }

    /// <summary>JSON as written beside the tile.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, StoreJson.Options);

    /// <summary>Parses a record; null if it is not one (a hand-edited or foreign file is treated as a missing record).</summary>
    public static TileRecord? TryParse(string json)
    {
        try { return JsonSerializer.Deserialize<TileRecord>(json, StoreJson.Options); }
        catch (JsonException) { return null; }
    }
}
