using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Specs;

namespace Tangent.Gpu;

/// <summary>What one step of the spatial part of a convolutional network does on the device.</summary>
internal enum ImageStepKind
{
    /// <summary>A convolution (its window and scalars in <see cref="ImageStep.Conv"/>).</summary>
    Conv,
    /// <summary>Elementwise ops [OpFrom, OpTo) of the spatial op table.</summary>
    Ops,
    /// <summary>Global pooling or Flatten: the state becomes one value per pair (mode and scale as <see cref="TailArgs{T}"/>).</summary>
    Pool,
}

/// <summary>One step: its kind, the geometry it reads and writes, and its parameters.</summary>
internal sealed record ImageStep(ImageStepKind Kind, Geometry In, Geometry Out, ConvArgs<double> Conv = default, int OpFrom = 0, int OpTo = 0, int PoolMode = 0, double PoolScale = 1);

/// <summary>
/// The spatial part of a convolutional architecture (up to the Flatten or global pooling that makes it flat) as device
/// steps, and its flat tail as a <see cref="FlatProgram"/>. The elementwise layers of the spatial part share one op table;
/// each variance-reading op has a slot in every image's variance record of the length of its feature map. Refuses
/// layers the device does not cover (AvgPool, SumPool, Residual, Product, quadrature activations...).
/// </summary>
internal sealed class ImageProgram
{
    public required List<ImageStep> Steps { get; init; }
    public required int[] Codes { get; init; }
    public required double[] Parameters { get; init; }
    /// <summary>Where each slot starts in an image's record, and the record's length.</summary>
    public required int[] SlotOffset { get; init; }
    public required int TraceLength { get; init; }
    /// <summary>True when the full position-position covariance is tracked (a global pooling needs it); false for equal positions only.</summary>
    public required bool Grid { get; init; }
    public required Geometry Input { get; init; }
    public required int Channels { get; init; }
    /// <summary>The most state entries one pair needs at any step.</summary>
    public required int MaxCount { get; init; }
    /// <summary>The most positions of any feature map (row sums of global pooling).</summary>
    public required int MaxPositions { get; init; }
    public required FlatProgram Tail { get; init; }

    /// <summary>State entries per pair at geometry <paramref name="g"/>.</summary>
    public int Count(Geometry g) => Grid ? g.P * g.P : g.P;

    public static ImageProgram Compile(Architecture arch, TensorShape shape)
    {
        arch.BindImageKernel(shape); // the CPU engine's validation and messages (e.g. a network that never becomes flat)
        var layers = arch.Layers;
        int flatAt = 0;
        var s = shape;
        bool grid = false;
        for (; flatAt < layers.Count && !s.IsFlat; flatAt++)
        {
            grid |= layers[flatAt] is GlobalAvgPool;
            s = layers[flatAt].OutputShape(s);
        }

        var steps = new List<ImageStep>();
        var codes = new List<int>();
        var parameters = new List<double>();
        var slotLengths = new List<int>();
        var g = Geometry(shape);
        int maxCount = grid ? g.P * g.P : g.P, maxP = g.P;
        s = shape;
        for (int i = 0; i < flatAt; i++)
        {
            var layer = layers[i];
            var next = layer.OutputShape(s);
            switch (layer)
            {
                case Conv c:
                {
                    var win = Layers.Conv.Resolve(c.Filter, c.Strides, c.Padding, s, c.TypeName);
                    if (c.Parameterization == Parameterization.Standard && s.Channels <= 0) c.BindImageKernel(s); // throws the layer's message
                    int fan = c.Parameterization == Parameterization.Standard ? s.Channels * win.Taps : 0;
                    var conv = new ConvArgs<double>
                    {
                        HIn = win.H.In, HOut = win.H.Out, HSize = win.H.Size, HStride = win.H.Stride, HPad = win.H.PadBefore,
                        WIn = win.W.In, WOut = win.W.Out, WSize = win.W.Size, WStride = win.W.Stride, WPad = win.W.PadBefore,
                        Circular = win.Circular ? 1 : 0,
                        W2OverTaps = c.WStd * c.WStd / win.Taps, B2 = c.BStd * c.BStd, FanOverTaps = (double)fan / win.Taps,
                    };
                    steps.Add(new ImageStep(ImageStepKind.Conv, win.Input, win.Output, conv));
                    g = win.Output;
                    maxCount = Math.Max(maxCount, grid ? g.P * g.P : g.P);
                    maxP = Math.Max(maxP, g.P);
                    break;
                }
                case GlobalAvgPool pool:
                    steps.Add(new ImageStep(ImageStepKind.Pool, g, new Geometry(1, 1), PoolMode: 0, PoolScale: pool is GlobalSumPool ? 1 : 1.0 / ((double)g.P * g.P)));
                    break;
                case Flatten:
                    steps.Add(new ImageStep(ImageStepKind.Pool, g, new Geometry(1, 1), PoolMode: grid ? 1 : 2, PoolScale: 1.0 / g.P));
                    break;
                default:
                {
                    var (kind, p) = FlatProgram.Translate(layer, s);
                    int op = codes.Count / 2;
                    bool reads = FlatOps.ReadsVariances(kind);
                    codes.Add((int)kind);
                    codes.Add(reads ? slotLengths.Count : -1);
                    if (reads) slotLengths.Add(g.P);
                    parameters.AddRange(p);
                    if (steps.Count > 0 && steps[^1].Kind == ImageStepKind.Ops) steps[^1] = steps[^1] with { OpTo = op + 1 };
                    else steps.Add(new ImageStep(ImageStepKind.Ops, g, g, OpFrom: op, OpTo: op + 1));
                    break;
                }
            }
            s = next;
        }
        var offsets = new int[slotLengths.Count];
        int total = 0;
        for (int k = 0; k < offsets.Length; k++) { offsets[k] = total; total += slotLengths[k]; }
        return new ImageProgram
        {
            Steps = steps, Codes = codes.ToArray(), Parameters = parameters.ToArray(), SlotOffset = offsets, TraceLength = total,
            Grid = grid, Input = Geometry(shape), Channels = shape.Channels, MaxCount = maxCount, MaxPositions = maxP,
            Tail = FlatProgram.Compile(layers.Skip(flatAt), s),
        };
    }

    private static Geometry Geometry(TensorShape shape) =>
        shape.Spatial.Length == 1 ? new Geometry(1, shape.Spatial[0]) : new Geometry(shape.Spatial[0], shape.Spatial[1]);
}
