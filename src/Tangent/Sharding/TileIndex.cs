namespace Tangent.Sharding;

/// <summary>The position of a tile in a store's grid: tile row <see cref="Row"/>, tile column <see cref="Col"/>.</summary>
public readonly record struct TileIndex(int Row, int Col)
{
    /// <summary>The tile's base file name in the store: <c>r00003-c00012</c> (fixed width, so a directory listing sorts in grid order).</summary>
    public string Name => $"r{Row:D5}-c{Col:D5}";

    /// <inheritdoc/>
    public override string ToString() => $"({Row}, {Col})";
}
