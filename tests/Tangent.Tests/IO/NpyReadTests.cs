using Tangent.IO;
using Xunit;

namespace Tangent.Tests.IO;

/// <summary>Reading .npy files built byte by byte the way numpy writes them.</summary>
public class NpyReadTests
{
    private static NdArray ReadBytes(byte[] file) => Npy.Read(new MemoryStream(file), "test.npy");

    [Fact]
    public void ReadsLittleEndianFloat32()
    {
        byte[] file = NpyBytes.File("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", NpyBytes.Float32Le(1.5f, -2f, 0.1f, 3e30f));
        NdArray a = ReadBytes(file);
        Assert.Equal([2, 2], a.Shape);
        Assert.Equal(ElementType.Float32, a.SourceType);
        Assert.Equal([1.5, -2.0, (double)0.1f, (double)3e30f], a.Data);
    }

    [Fact]
    public void ReadsBigEndianFloat64()
    {
        double[] values = [Math.PI, -1e-300, double.MaxValue, 0.0, 42];
        byte[] file = NpyBytes.File("{'descr': '>f8', 'fortran_order': False, 'shape': (5,), }", NpyBytes.Float64Be(values));
        NdArray a = ReadBytes(file);
        Assert.Equal([5], a.Shape);
        Assert.Equal(values, a.Data);
    }

    [Fact]
    public void ReadsBigEndianFloat32AndInt32()
    {
        NdArray f = ReadBytes(NpyBytes.File("{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }", NpyBytes.Float32Be(1.25f, -8f, 1e-20f)));
        Assert.Equal([1.25, -8.0, (double)1e-20f], f.Data);
        NdArray i = ReadBytes(NpyBytes.File("{'descr': '>i4', 'fortran_order': False, 'shape': (3,), }", NpyBytes.Int32Be(-5, 70000, int.MinValue)));
        Assert.Equal([-5.0, 70000.0, int.MinValue], i.Data);
        Assert.Equal(ElementType.Int32, i.SourceType);
    }

    [Fact]
    public void ReadsInt64Labels()
    {
        byte[] file = NpyBytes.File("{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }", NpyBytes.Int64Le(0, 9, -3, 1L << 40));
        NdArray a = ReadBytes(file);
        Assert.Equal(ElementType.Int64, a.SourceType);
        Assert.Equal([0.0, 9.0, -3.0, 1099511627776.0], a.Data);
    }

    [Fact]
    public void ReadsInt16()
    {
        NdArray a = ReadBytes(NpyBytes.File("{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }", NpyBytes.Int16Le(-32768, 1, 32767)));
        Assert.Equal([-32768.0, 1.0, 32767.0], a.Data);
    }

    [Fact]
    public void ReadsUInt8Images()
    {
        byte[] file = NpyBytes.File("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2, 2, 1), }", [0, 255, 16, 7]);
        NdArray a = ReadBytes(file);
        Assert.Equal([1, 2, 2, 1], a.Shape);
        Assert.Equal(ElementType.UInt8, a.SourceType);
        Assert.Equal([0.0, 255.0, 16.0, 7.0], a.Data);
        Assert.Equal(1, a.Rows);
        Assert.Equal(4, a.RowLength);
    }

    [Fact]
    public void ReadsInt8AndBool()
    {
        NdArray i = ReadBytes(NpyBytes.File("{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }", [0x80, 0xFF, 0x7F]));
        Assert.Equal([-128.0, -1.0, 127.0], i.Data);
        NdArray b = ReadBytes(NpyBytes.File("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", [1, 0, 1]));
        Assert.Equal([1.0, 0.0, 1.0], b.Data);
        Assert.Equal(ElementType.Bool, b.SourceType);
    }

    [Fact]
    public void ReordersFortranOrderMatrix()
    {
        // The 2x3 matrix [[1, 2, 3], [4, 5, 6]] stored column by column.
        byte[] file = NpyBytes.File("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", NpyBytes.Float64Le(1, 4, 2, 5, 3, 6));
        NdArray a = ReadBytes(file);
        Assert.Equal([2, 3], a.Shape);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], a.Data);
    }

    [Fact]
    public void ReordersFortranOrderThreeDimensional()
    {
        int[] shape = [2, 3, 4];
        // Element (i, j, k) has value 100i + 10j + k; in F order the first index varies fastest.
        var fortran = new List<double>();
        for (int k = 0; k < 4; k++)
            for (int j = 0; j < 3; j++)
                for (int i = 0; i < 2; i++)
                    fortran.Add(100 * i + 10 * j + k);
        NdArray a = ReadBytes(NpyBytes.File("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 4), }", NpyBytes.Float64Le([.. fortran])));
        Assert.Equal(shape, a.Shape);
        int c = 0;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++)
                    Assert.Equal(100 * i + 10 * j + k, a.Data[c++]);
    }

    [Fact]
    public void ReadsVersion2And3Headers()
    {
        NdArray v2 = ReadBytes(NpyBytes.File("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", NpyBytes.Float64Le(1, 2), major: 2));
        Assert.Equal([1.0, 2.0], v2.Data);
        NdArray v3 = ReadBytes(NpyBytes.File("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", NpyBytes.Float64Le(3), major: 3));
        Assert.Equal([3.0], v3.Data);
    }

    [Fact]
    public void AcceptsNativeOrderAndPython2LongsAndKeyOrder()
    {
        byte[] file = NpyBytes.File("{'shape': (1L, 2L), 'fortran_order': False, 'descr': '=f8'}", NpyBytes.Float64Le(7, 8));
        NdArray a = ReadBytes(file);
        Assert.Equal([1, 2], a.Shape);
        Assert.Equal([7.0, 8.0], a.Data);
    }

    [Fact]
    public void ReadsZeroDimensionalAndEmptyArrays()
    {
        NdArray scalar = ReadBytes(NpyBytes.File("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", NpyBytes.Float64Le(-7.25)));
        Assert.Empty(scalar.Shape);
        Assert.Equal([-7.25], scalar.Data);
        Assert.Equal(1, scalar.Rows);

        NdArray empty = ReadBytes(NpyBytes.File("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 5), }", []));
        Assert.Equal([0, 5], empty.Shape);
        Assert.Empty(empty.Data);
        Assert.Equal(5, empty.RowLength);
    }

    [Fact]
    public void ReadsFileWrittenByNumpy()
    {
        // np.save of np.arange(6, dtype='<f8').reshape(2, 3) / 4 with numpy 1.24 (note the growth padding).
        byte[] file = Convert.FromBase64String(NumpyFiles.Arange2x3Over4);
        NdArray a = ReadBytes(file);
        Assert.Equal([2, 3], a.Shape);
        Assert.Equal([0, 0.25, 0.5, 0.75, 1.0, 1.25], a.Data);
    }

    [Fact]
    public void ReadsFromPathAndLeavesStreamAfterData()
    {
        using var dir = new TempDir();
        byte[] one = NpyBytes.File("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", NpyBytes.Float64Le(1));
        byte[] two = NpyBytes.File("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", NpyBytes.Float32Le(2));
        File.WriteAllBytes(dir.File("a.npy"), one);
        Assert.Equal([1.0], Npy.Read(dir.File("a.npy")).Data);

        // Two arrays back to back in one stream: the second read starts where the first stopped.
        var stream = new MemoryStream([.. one, .. two]);
        Assert.Equal([1.0], Npy.Read(stream, "s").Data);
        Assert.Equal([2.0], Npy.Read(stream, "s").Data);
    }
}
