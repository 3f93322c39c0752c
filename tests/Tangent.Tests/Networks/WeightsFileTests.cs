using Tangent.IO;
using Tangent.Layers;
using Tangent.Networks;
using Tangent.Specs;
using Tangent.Tests.IO;

namespace Tangent.Tests.Networks;

/// <summary>.safetensors weights: round trips, what a file from elsewhere may hold, and clear errors when it does not fit.</summary>
public class WeightsFileTests
{
    private const string Spec = "conv(f=[3,2],c=4,pad=VALID) > relu > flatten > dense(n=3)";
    private static readonly TensorShape Input = new([5, 4], 2);

    [Fact]
    public void Saved_weights_load_back_exactly()
    {
        using var dir = new TempDir();
        var arch = Architecture.Parse(Spec);
        var a = FiniteNetwork<double>.Create(arch, Input, new FiniteNetworkOptions { Source = new SeededParameters(5) });
        Assert.Equal([3, 2, 2, 4], a.Parameters[0].Shape);   // Conv [fh, fw, c_in, c_out]
        Assert.Equal([3, 3 * 3 * 4], a.Parameters[2].Shape); // Dense [fan_out, fan_in]
        Assert.Equal("3.weight", a.Parameters[2].Name);     // named by the layer's position in the spec
        a.SaveWeights(dir.File("w.safetensors"));
        var b = FiniteNetwork<double>.Create(arch, Input, new FiniteNetworkOptions { Source = LoadedParameters.FromFile(dir.File("w.safetensors")) });
        for (int i = 0; i < a.Parameters.Count; i++) Assert.Equal(a.Parameters[i].Values, b.Parameters[i].Values);
        Assert.Equal(["w.safetensors"], dir.Listing());
    }

    [Fact]
    public void One_dimensional_convolutions_store_weights_as_fw_cin_cout()
    {
        var net = FiniteNetwork<double>.Create(Architecture.Parse("conv(f=3,c=4) > relu > global_avg_pool > dense(n=2)"), new TensorShape([7], 3));
        Assert.Equal([3, 3, 4], net.Parameters[0].Shape);
        Assert.Equal([2, 4], net.Parameters[2].Shape);
        Assert.Equal("3.weight", net.Parameters[2].Name);
    }

    [Fact]
    public void Reads_float32_float16_and_bfloat16_tensors()
    {
        // Hand-made file: a = F32 [2] {1.5, -2}, b = F16 [1] {0.5}, c = BF16 [1] {-3}, with metadata.
        var data = new List<byte>();
        data.AddRange(BitConverter.GetBytes(1.5f)); data.AddRange(BitConverter.GetBytes(-2f));
        data.AddRange(BitConverter.GetBytes((Half)0.5));
        data.AddRange(BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits(-3f) >> 16)));
        string header = """{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F16","shape":[1],"data_offsets":[8,10]},"c":{"dtype":"BF16","shape":[],"data_offsets":[10,12]}}""";
        var bytes = new List<byte>(BitConverter.GetBytes((ulong)header.Length));
        bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(header));
        bytes.AddRange(data);
        var t = Safetensors.Parse(bytes.ToArray(), "x.safetensors");
        Assert.Equal([1.5, -2], t["a"].Data);
        Assert.Equal([0.5], t["b"].Data);
        Assert.Equal([-3.0], t["c"].Data);
        Assert.Empty(t["c"].Shape);
    }

    [Theory]
    [InlineData("missing", "no tensor '3.bias'")]
    [InlineData("shape", "tensor '3.weight' has shape [36, 3], the network needs [3, 36] (Dense at position 3: [fan_out, fan_in])")]
    [InlineData("extra", "tensor '4.weight' (shape [2]) fits no parameter")]
    public void Weights_that_do_not_fit_name_the_tensor(string problem, string message)
    {
        using var dir = new TempDir();
        var a = FiniteNetwork<double>.Create(Architecture.Parse(Spec), Input);
        var tensors = a.Parameters.Select(p => (p.Name, p.Shape, p.Values)).ToList();
        switch (problem)
        {
            case "missing": tensors.RemoveAll(t => t.Name == "3.bias"); break;
            case "shape": tensors[2] = ("3.weight", [36, 3], tensors[2].Values); break;
            default: tensors.Add(("4.weight", [2], [1, 2])); break;
        }
        Safetensors.Write(dir.File("w.safetensors"), tensors, "F32");
        var e = Assert.Throws<DataFormatException>(() =>
            FiniteNetwork<double>.Create(Architecture.Parse(Spec), Input, new FiniteNetworkOptions { Source = LoadedParameters.FromFile(dir.File("w.safetensors")) }));
        Assert.True(e.Message.Contains(message, StringComparison.Ordinal), e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "shorter than")]
    [InlineData(new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}' }, "header length 200")]
    [InlineData(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, (byte)'[', (byte)']' }, "not a JSON object")]
    public void Malformed_files_are_rejected(byte[] bytes, string message)
    {
        var e = Assert.Throws<DataFormatException>(() => Safetensors.Parse(bytes, "bad.safetensors"));
        Assert.Contains(message, e.Message);
        Assert.StartsWith("bad.safetensors:", e.Message);
    }

    [Fact]
    public void Offsets_outside_the_data_and_integer_tensors_are_rejected()
    {
        static byte[] File(string header, int dataBytes)
        {
            var bytes = new List<byte>(BitConverter.GetBytes((ulong)header.Length));
            bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(header));
            bytes.AddRange(new byte[dataBytes]);
            return [.. bytes];
        }
        Assert.Contains("lie outside", Assert.Throws<DataFormatException>(() => Safetensors.Parse(File("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8), "f")).Message);
        Assert.Contains("needs 16", Assert.Throws<DataFormatException>(() => Safetensors.Parse(File("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,8]}}""", 8), "f")).Message);
        Assert.Contains("I64", Assert.Throws<DataFormatException>(() => Safetensors.Parse(File("""{"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", 8), "f")).Message);
    }
}
