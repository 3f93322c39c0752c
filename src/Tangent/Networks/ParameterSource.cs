using System.Numerics;
using Tangent.IO;

namespace Tangent.Networks;

/// <summary>Where a network's parameter values come from: a seeded initialisation or a weights file.</summary>
public interface IParameterSource
{
    /// <summary>Fills <paramref name="tensor"/>'s values.</summary>
    void Fill<T>(ParameterTensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>Seeded initialisation: each tensor drawn from N(0, InitStd²) on its own stream (<see cref="SeededNormal"/>).</summary>
public sealed class SeededParameters(ulong seed) : IParameterSource
{
    /// <summary>The run's seed.</summary>
    public ulong Seed { get; } = seed;

    /// <inheritdoc />
    public void Fill<T>(ParameterTensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T> =>
        SeededNormal.Fill<T>(tensor.Values, SeededNormal.Stream(Seed, tensor.Name), tensor.Scale.InitStd);
}

/// <summary>
/// Values from a .safetensors file, tensors named <c>{layer_index}.weight</c> / <c>{layer_index}.bias</c> (nested layers:
/// <c>{index}.{index}.weight</c>). A missing tensor, a wrong shape, or a tensor the network has no place for is a
/// <see cref="DataFormatException"/> naming the tensor.
/// </summary>
public sealed class LoadedParameters : IParameterSource
{
    private readonly IReadOnlyDictionary<string, SafetensorsTensor> _tensors;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>Tensors as read by <see cref="Safetensors.Read"/>; <paramref name="fileName"/> is used in messages.</summary>
    public LoadedParameters(IReadOnlyDictionary<string, SafetensorsTensor> tensors, string fileName)
    {
        _tensors = tensors;
        FileName = fileName;
    }

    /// <summary>Reads a .safetensors file.</summary>
    public static LoadedParameters FromFile(string path) => new(Safetensors.Read(path), path);

    /// <summary>The file, for messages.</summary>
    public string FileName { get; }

    /// <inheritdoc />
    public void Fill<T>(ParameterTensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!_tensors.TryGetValue(tensor.Name, out var t))
            throw new DataFormatException($"{FileName}: no tensor '{tensor.Name}' of shape {ShapeText.Format(tensor.Shape)}{Layout(tensor)}; the file has {Names()}");
        if (!t.Shape.AsSpan().SequenceEqual(tensor.Shape))
            throw new DataFormatException($"{FileName}: tensor '{tensor.Name}' has shape {t.ShapeText}, the network needs {ShapeText.Format(tensor.Shape)}{Layout(tensor)}");
        for (int i = 0; i < t.Data.Length; i++)
        {
            if (!double.IsFinite(t.Data[i])) throw new DataFormatException($"{FileName}: tensor '{tensor.Name}' element {i} is not finite");
            tensor.Values[i] = T.CreateTruncating(t.Data[i]);
        }
        _used.Add(tensor.Name);
    }

    /// <summary>Throws if the file holds a tensor that no parameter of the network took.</summary>
    public void EnsureAllUsed()
    {
        foreach (var name in _tensors.Keys.Order(StringComparer.Ordinal))
            if (!_used.Contains(name))
                throw new DataFormatException($"{FileName}: tensor '{name}' (shape {_tensors[name].ShapeText}) fits no parameter of the network; expected names like '0.weight', '0.bias' (the layer's position in the spec)");
    }

    private static string Layout<T>(ParameterTensor<T> t) where T : unmanaged, IFloatingPointIeee754<T> =>
        t.Layout is null ? "" : $" ({t.Layout})";

    private string Names() => _tensors.Count == 0 ? "no tensors" : string.Join(", ", _tensors.Keys.Order(StringComparer.Ordinal).Take(8).Select(n => $"'{n}'")) + (_tensors.Count > 8 ? ", ..." : "");
}
