namespace Tangent.IO;

/// <summary>
/// Reorders column-major (Fortran) data to row-major (C) order. A .npy file with
/// <c>fortran_order: True</c> holds its array with the first index varying fastest.
/// </summary>
internal static class FortranOrder
{
    /// <summary>Returns the C-order copy of <paramref name="fortran"/>, an array of <paramref name="shape"/> in F order.</summary>
    public static double[] ToC(double[] fortran, int[] shape)
    {
        // In one dimension (or none) both orders are the same sequence.
        if (shape.Length < 2 || fortran.Length == 0) return fortran;

        int rank = shape.Length;
        var fStride = new int[rank];
        fStride[0] = 1;
        for (int k = 1; k < rank; k++) fStride[k] = fStride[k - 1] * shape[k - 1];

        // Walk the C-order positions in sequence, last index fastest, tracking where each one lives in F
        // order: an odometer over the outer indices, a strided run for the innermost one.
        var c = GC.AllocateUninitializedArray<double>(fortran.Length);
        var index = new int[rank];
        int last = rank - 1, inner = shape[last], innerStride = fStride[last];
        long rowStart = 0;   // long: one step past the last element may pass int.MaxValue
        for (int pos = 0; pos < c.Length;)
        {
            for (long j = 0, f = rowStart; j < inner; j++, f += innerStride) c[pos++] = fortran[f];
            for (int k = last - 1; k >= 0; k--)
            {
                rowStart += fStride[k];
                if (++index[k] < shape[k]) break;
                rowStart -= fStride[k] * shape[k];
                index[k] = 0;
            }
        }
        return c;
    }
}
