using System.Text;
using System.Text.Json;
using Tangent.Kernels;
using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// A network described once as a list of layers (DESIGN.md). The same object serves analytic kernels, finite
/// networks and experiments. Parse it from the text form (<c>dense(w=1.41,b=0.1) &gt; relu &gt; dense</c>), from JSON
/// (<c>[{"type":"Dense","W_std":1.41}]</c>) or from a file with <c>@path</c>.
/// </summary>
public sealed class Architecture
{
    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>An architecture from layer objects.</summary>
    public Architecture(IEnumerable<Layer> layers)
    {
        Layers = layers.ToList();
        if (Layers.Count == 0) throw new SpecException("spec error: an architecture needs at least one layer");
    }

    /// <summary>
    /// Parses a spec: <c>@file</c> reads the file (JSON or text); text starting with '[' or '{' is JSON; anything else
    /// is the text form. Throws <see cref="SpecException"/> with a one-line message naming token and position.
    /// </summary>
    public static Architecture Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string text = spec.Trim();
        if (text.StartsWith('@'))
        {
            string path = text[1..];
            try { text = File.ReadAllText(path).Trim(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SpecException($"spec error: cannot read spec file '{path}': {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)}");
            }
        }
        if (text.Length == 0) throw new SpecException("spec error: the spec is empty");
        var syntax = text[0] is '[' or '{' ? JsonSpecParser.Parse(text) : TextSpecParser.Parse(text);
        return FromSyntax(syntax);
    }

    /// <summary>Builds layers from parsed syntax, validating every parameter.</summary>
    public static Architecture FromSyntax(IReadOnlyList<LayerSyntax> syntax) => new(syntax.Select(LayerRegistry.Create));

    /// <summary>The shape of one example at the output, checking every layer.</summary>
    public TensorShape OutputShape(TensorShape input) => Layers.Aggregate(input, (s, l) => l.OutputShape(s));

    /// <summary>Binds the closed-form flat-data kernel transforms of all layers to the input shape.</summary>
    public IFlatKernelOp BindFlatKernel(TensorShape input)
    {
        var ops = new List<IFlatKernelOp>(Layers.Count);
        var shape = input;
        foreach (var layer in Layers)
        {
            var next = layer.OutputShape(shape); // validates the input shape first, with the layer's own message
            ops.Add(layer.BindFlatKernel(shape));
            shape = next;
        }
        return new SerialKernelOp(FusedDenseActivation.Fuse(ops));
    }

    /// <summary>
    /// Binds the image part of the network (up to and including the Flatten or global pooling that makes it flat) as
    /// image-pair transforms, and the rest as flat transforms. Throws <see cref="SpecException"/> if the network never
    /// becomes flat (its kernel would be per position, not per example).
    /// </summary>
    public (ImageKernelOp Spatial, IFlatKernelOp Tail) BindImageKernel(TensorShape input)
    {
        var spatial = new List<ImageKernelOp>();
        var shape = input;
        int i = 0;
        for (; i < Layers.Count && !shape.IsFlat; i++)
        {
            spatial.Add(Layers[i].BindImageKernel(shape));
            shape = Layers[i].OutputShape(shape);
        }
        if (!shape.IsFlat)
            throw new SpecException($"spec error: the network's output has shape {shape}, not one vector per example; end the image part with Flatten or GlobalAvgPool");
        var tail = new List<IFlatKernelOp>();
        for (; i < Layers.Count; i++)
        {
            tail.Add(Layers[i].BindFlatKernel(shape));
            shape = Layers[i].OutputShape(shape);
        }
        tail = FusedDenseActivation.Fuse(tail);
        return (new SerialImageOp(FusedConvolutionActivation.Fuse(spatial)), new SerialKernelOp(tail));
    }

    /// <summary>All layers as image-pair transforms (the block of a combinator over images).</summary>
    internal ImageKernelOp BindImageOps(TensorShape input)
    {
        var ops = new List<ImageKernelOp>();
        foreach (var layer in Layers)
        {
            ops.Add(layer.BindImageKernel(input));
            input = layer.OutputShape(input);
        }
        return new SerialImageOp(FusedConvolutionActivation.Fuse(ops));
    }

    /// <summary>The text form, which <see cref="Parse"/> reads back.</summary>
    public override string ToString() => string.Join(" > ", Layers.Select(l => l.ToString()));

    /// <summary>The JSON form (that of the conformance fixtures), which <see cref="Parse"/> reads back.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream)) WriteJson(w);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    internal void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartArray();
        foreach (var layer in Layers)
        {
            w.WriteStartObject();
            w.WriteString("type", layer.TypeName);
            foreach (var (key, value) in layer.Parameters)
            {
                w.WritePropertyName(key);
                switch (value)
                {
                    case double d: w.WriteNumberValue(d); break;
                    case int i: w.WriteNumberValue(i); break;
                    case string s: w.WriteStringValue(s); break;
                    case int[] a: w.WriteStartArray(); foreach (var x in a) w.WriteNumberValue(x); w.WriteEndArray(); break;
                    case double[] a: w.WriteStartArray(); foreach (var x in a) w.WriteNumberValue(x); w.WriteEndArray(); break;
                    case Architecture a: a.WriteJson(w); break;
                    case Architecture[] list: w.WriteStartArray(); foreach (var a in list) a.WriteJson(w); w.WriteEndArray(); break;
                    default: throw new InvalidOperationException($"cannot serialise {value.GetType()}");
                }
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}

/// <summary>Layers' transforms applied in order.</summary>
internal sealed class SerialKernelOp(IReadOnlyList<IFlatKernelOp> ops) : IFlatKernelOp
{
    public void Pairs<T>(PairBlock<T> block) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        foreach (var op in ops) op.Pairs(block);
    }

    public void Self(SelfBlock block)
    {
        foreach (var op in ops) op.Self(block);
    }
}
