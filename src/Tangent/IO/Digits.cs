using System.IO.Compression;

namespace Tangent.IO;

/// <summary>
/// The scikit-learn "digits" data set, shipped inside Tangent so that demos, tests and benchmarks run on
/// real images with no download: 1797 hand-written digits of 8 x 8 pixels, each pixel a count 0..16 of the
/// "on" pixels of a 4 x 4 block of the original 32 x 32 bitmap, labelled 0..9. From the UCI ML repository
/// (E. Alpaydin, C. Kaynak, 1998) via scikit-learn; licence and provenance in <c>Data/DIGITS-LICENSE.txt</c>.
/// </summary>
public static class Digits
{
    /// <summary>Number of images.</summary>
    public const int Count = 1797;
    /// <summary>Image side in pixels.</summary>
    public const int Side = 8;
    /// <summary>Pixels per image (<c>Side * Side</c>).</summary>
    public const int Pixels = 64;

    private const string ResourceName = "Tangent.Data.digits.csv.gz";

    private static readonly Lazy<(double[] Images, int[] Labels)> Cache = new(Parse, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The images, row-major <c>Count x Pixels</c> (image i, pixel (r, c) at <c>i * 64 + r * 8 + c</c>) with
    /// raw values 0..16, and their labels. Parsed once and cached; each call returns fresh copies, so callers
    /// may normalise in place without affecting one another.
    /// </summary>
    public static (double[] Images, int[] Labels) Load()
    {
        var (images, labels) = Cache.Value;
        return ((double[])images.Clone(), (int[])labels.Clone());
    }

    private static (double[] Images, int[] Labels) Parse()
    {
        using Stream compressed = typeof(Digits).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the digits data ({ResourceName}) is not embedded in this build of Tangent");
        using var csv = new StreamReader(new GZipStream(compressed, CompressionMode.Decompress));
        // Each line: the 64 pixels, then the label.
        NdArray table = CsvReader.Read(csv, "digits.csv.gz");
        if (table.Rows != Count || table.RowLength != Pixels + 1)
            throw new InvalidOperationException($"the embedded digits data has shape {ShapeText.Format(table.Shape)}, expected [{Count}, {Pixels + 1}]");

        var images = new double[Count * Pixels];
        var labels = new int[Count];
        for (int i = 0; i < Count; i++)
        {
            ReadOnlySpan<double> row = table.Data.AsSpan(i * (Pixels + 1), Pixels + 1);
            row[..Pixels].CopyTo(images.AsSpan(i * Pixels, Pixels));
            labels[i] = (int)row[Pixels];
        }
        return (images, labels);
    }
}
