using System.Numerics;
using Tangent.IO;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Networks;

/// <summary>
/// A finite network built from an <see cref="Architecture"/>: the same spec that gives the analytic kernels, with
/// widths resolved and parameters drawn (or loaded). Forward pass on a batch, backward pass for any number of
/// cotangents per example, named parameters with their parameterisation's scales.
/// </summary>
public sealed class FiniteNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[]? _output;

    private FiniteNetwork(Architecture architecture, FiniteSequence<T> body, FiniteNetworkOptions options)
    {
        Architecture = architecture;
        Body = body;
        Options = options;
        Parameters = body.Parameters.ToList();
        WeightLayers = body.WeightLayers.ToList();
        Readout = body.Layers[^1] is WeightLayer<T> { Positions: 1 } w && w.InputShape.IsFlat ? w : null;
    }

    /// <summary>
    /// Builds the network for inputs of <paramref name="input"/> (flat, or H x W x C / L x C images). Throws
    /// <see cref="SpecException"/> when a width is missing or the output is not one vector per example, and
    /// <see cref="DataFormatException"/> when loaded weights do not fit.
    /// </summary>
    public static FiniteNetwork<T> Create(Architecture architecture, TensorShape input, FiniteNetworkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (typeof(T) != typeof(double) && typeof(T) != typeof(float))
            throw new NotSupportedException("finite networks run in float64 or float32");
        if (input.Channels <= 0) throw new SpecException($"spec error: inputs of shape {input} have no channels");
        options ??= new FiniteNetworkOptions();
        var body = FiniteSequence<T>.Bind(architecture.Layers, input, inputIsWidth: false, WidthTarget.Readout, "", options);
        if (!body.OutputShape.IsFlat)
            throw new SpecException($"spec error: the network's output has shape {body.OutputShape}, not one vector per example; end the image part with Flatten or GlobalAvgPool");
        if (options.Source is LoadedParameters loaded) loaded.EnsureAllUsed();
        var network = new FiniteNetwork<T>(architecture, body, options);
        network.ApplyMeanFieldLearningRates();
        return network;
    }

    /// <summary>The spec.</summary>
    public Architecture Architecture { get; }
    /// <summary>The build options.</summary>
    public FiniteNetworkOptions Options { get; }
    /// <summary>The layers.</summary>
    public FiniteSequence<T> Body { get; }
    /// <summary>Shape of one input example.</summary>
    public TensorShape InputShape => Body.InputShape;
    /// <summary>Numbers per input example.</summary>
    public int InputSize => Body.InputSize;
    /// <summary>O: outputs per example.</summary>
    public int OutputCount => Body.OutputSize;
    /// <summary>Every parameter tensor, in spec order.</summary>
    public IReadOnlyList<ParameterTensor<T>> Parameters { get; }
    /// <summary>Every weight layer, in spec order.</summary>
    public IReadOnlyList<WeightLayer<T>> WeightLayers { get; }
    /// <summary>The final layer when it is a Dense layer on flat features (what the empirical NNGP needs), else null.</summary>
    public WeightLayer<T>? Readout { get; }
    /// <summary>Total number of parameters.</summary>
    public long ParameterCount => Parameters.Sum(p => (long)p.Values.Length);

    /// <summary>Outputs for the rows of <paramref name="x"/> (one example per row, images in HWC order).</summary>
    public Matrix<T> Forward(Matrix<T> x)
    {
        CheckInput(x);
        var y = new Matrix<T>(x.Rows, OutputCount);
        Forward(x.Data, y.Data, x.Rows);
        return y;
    }

    /// <summary>y = f(x) for <paramref name="n"/> examples; keeps what the next <see cref="Backward"/> needs.</summary>
    public void Forward(ReadOnlySpan<T> x, Span<T> y, int n) => Body.Forward(x, y, n);

    /// <summary>
    /// Backward pass from <paramref name="dy"/> (n·m rows of <see cref="OutputCount"/>, m cotangents per example) through
    /// the latest forward pass on <paramref name="x"/> with output <paramref name="y"/>; every weight layer reports to
    /// <paramref name="sink"/>. The input's cotangents are not computed.
    /// </summary>
    public void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, int n, int m, IWeightGradientSink<T> sink) =>
        Body.Backward(x, y, dy, Span<T>.Empty, n, m, sink);

    /// <summary>Runs the forward pass and keeps the output internally (for callers that only need the backward pass).</summary>
    internal ReadOnlySpan<T> ForwardKeep(ReadOnlySpan<T> x, int n)
    {
        if (_output is null || _output.Length < n * OutputCount) _output = new T[n * OutputCount];
        Forward(x, _output, n);
        return _output.AsSpan(0, n * OutputCount);
    }

    /// <summary>Redraws (or reloads) every parameter.</summary>
    public void Reinitialise(IParameterSource source)
    {
        foreach (var p in Parameters) source.Fill(p);
        if (source is LoadedParameters loaded) loaded.EnsureAllUsed();
    }

    /// <summary>Writes the parameters to a .safetensors file (F64 or F32), names and shapes as <see cref="LoadedParameters"/> reads them.</summary>
    public void SaveWeights(string path, string dtype = "F64") =>
        Safetensors.Write(path, Parameters.Select(p => (p.Name, p.Shape, p.Values.Select(v => double.CreateTruncating(v)).ToArray())), dtype);

    /// <summary>Checks that a batch fits the input shape.</summary>
    public void CheckInput(Matrix<T> x)
    {
        if (x.Cols != InputSize)
            throw new SpecException($"inputs have {x.Cols} numbers per example, but the network reads shape {InputShape} ({InputSize} numbers)");
    }

    // Mean-field SGD: every learning rate scales with the readout's fan-in n (see ParameterizationRules).
    private void ApplyMeanFieldLearningRates()
    {
        var readout = WeightLayers.LastOrDefault(w => w.Role == WeightRole.Output && w.Parameterization == NetworkParameterization.MeanField);
        if (readout is null) return;
        foreach (var w in WeightLayers.Where(w => w.Parameterization == NetworkParameterization.MeanField))
            foreach (var p in w.Parameters) p.Scale = p.Scale with { SgdLearningRate = readout.FanIn };
    }
}
