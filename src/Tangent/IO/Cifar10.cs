namespace Tangent.IO;

/// <summary>
/// CIFAR-10 binary batches (<c>data_batch_1.bin</c> ... <c>test_batch.bin</c>): records of one label byte followed by
/// 3072 pixel bytes, the red, green and blue 32x32 planes in turn. Read as NHWC images [N, 32, 32, 3] with raw values
/// 0..255; labels separately.
/// </summary>
public static class Cifar10
{
    /// <summary>Side of the images.</summary>
    public const int Side = 32;
    private const int Plane = Side * Side, Record = 1 + 3 * Plane;

    /// <summary>Reads a batch's images (NHWC).</summary>
    public static NdArray Read(string path) => ReadWithLabels(path).Images;

    /// <summary>Reads a batch's images (NHWC) and labels (0..9).</summary>
    public static (NdArray Images, int[] Labels) ReadWithLabels(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw InputFile.Failure(path, e); }
        if (bytes.Length == 0 || bytes.Length % Record != 0)
            throw new DataFormatException($"{path}: {bytes.Length} bytes is not a whole number of CIFAR-10 records ({Record} bytes each)");
        int n = bytes.Length / Record;
        var data = new double[n * 3 * Plane];
        var labels = new int[n];
        for (int r = 0; r < n; r++)
        {
            int start = r * Record;
            labels[r] = bytes[start];
            if (labels[r] > 9) throw new DataFormatException($"{path}: record {r} has label {labels[r]}, not 0..9");
            for (int c = 0; c < 3; c++)
                for (int q = 0; q < Plane; q++)
                    data[(r * Plane + q) * 3 + c] = bytes[start + 1 + c * Plane + q];
        }
        return (new NdArray([n, Side, Side, 3], data, ElementType.UInt8), labels);
    }

    /// <summary>Whether a file name looks like a CIFAR-10 binary batch.</summary>
    public static bool LooksLikeCifar(string path) => Path.GetExtension(path).Equals(".bin", StringComparison.OrdinalIgnoreCase);
}
