using Tangent.Experiments.Tasks;
using Tangent.IO;
using Tangent.Specs;

namespace Tangent.Experiments;

/// <summary>Makes a <see cref="FalsifierTask"/> from a <see cref="TaskSpec"/>: a built-in task by name, else a data file by path.</summary>
public static class BuiltInTasks
{
    /// <summary>The built-in tasks and the parameters each takes.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Parameters = new Dictionary<string, string[]>
    {
        ["teacher-poly"] = ["dim", "degree", "noise"],
        ["sparse-parity"] = ["dim", "k"],
        ["spectral-bias"] = ["frequencies", "noise"],
        ["digits"] = [],
    };

    /// <summary>Default input dimensions.</summary>
    public const int TeacherDim = 8, ParityDim = 30;

    /// <summary>Whether <paramref name="name"/> is a built-in task.</summary>
    public static bool IsBuiltIn(string name) => Parameters.ContainsKey(name.Trim().ToLowerInvariant());

    /// <summary>
    /// The task <paramref name="spec"/> names; <paramref name="images"/>: the architecture reads images, so file and digits
    /// tasks keep their H x W x C shape. Throws <see cref="ExperimentException"/> for an unknown task or a parameter the
    /// task does not take, <see cref="DataFormatException"/> for a bad data file.
    /// </summary>
    public static FalsifierTask Create(TaskSpec spec, bool images = false)
    {
        string name = spec.Name.Trim();
        string key = name.ToLowerInvariant();
        if (Parameters.TryGetValue(key, out var allowed))
        {
            var given = new List<string>();
            if (spec.Dim is not null) given.Add("dim");
            if (spec.Degree is not null) given.Add("degree");
            if (spec.K is not null) given.Add("k");
            if (spec.Frequencies is not null) given.Add("frequencies");
            if (spec.Noise != 0) given.Add("noise");
            if (spec.Targets is not null) given.Add("targets");
            var stray = given.Except(allowed).ToList();
            if (stray.Count > 0)
                throw new ExperimentException($"task {key} does not take {string.Join(", ", stray)}; it takes {(allowed.Length == 0 ? "no parameters" : string.Join(", ", allowed))}");
            return key switch
            {
                "teacher-poly" => new TeacherPolyTask(spec.Dim ?? TeacherDim, spec.Degree ?? 1, spec.Noise),
                "sparse-parity" => new SparseParityTask(spec.Dim ?? ParityDim, spec.K ?? 2),
                "spectral-bias" => new SpectralBiasTask(spec.Frequencies ?? [1, 2, 4, 8], spec.Noise),
                _ => Digits(images),
            };
        }
        if (TaskRegistry.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            if (spec.Dim is not null || spec.Degree is not null || spec.K is not null || spec.Frequencies is not null || spec.Noise != 0 || spec.Targets is not null)
                throw new ExperimentException($"task {name} takes no parameters");
            return new RegisteredTask(TaskRegistry.Get(name));
        }
        if (File.Exists(name))
        {
            if (spec.Dim is not null || spec.Degree is not null || spec.K is not null || spec.Frequencies is not null || spec.Noise != 0)
                throw new ExperimentException($"task {name}: a data file takes no dim, degree, k, frequencies or noise (only targets)");
            return DataFileTask.Load(name, spec.Targets, images);
        }
        if (Directory.Exists(name)) throw new ExperimentException($"task {name}: is a directory; give a data file (.npy, .csv, IDX, CIFAR-10 .bin)");
        bool looksLikePath = name.Contains('/') || name.Contains('\\') || Path.HasExtension(name);
        throw new ExperimentException(looksLikePath
            ? $"task {name}: no such data file"
            : $"unknown task '{name}'; built-in tasks: {string.Join(", ", Parameters.Keys.Concat(TaskRegistry.Names).Distinct())}, or the path of a .npy, .csv, IDX or CIFAR-10 file");
    }

    /// <summary>The built-in digits: pixels scaled to [0, 1], ten classes one-hot.</summary>
    public static PoolTask Digits(bool images)
    {
        var (x, labels) = DigitsDemo.Data();
        var shape = images ? new TensorShape([IO.Digits.Side, IO.Digits.Side], 1) : TensorShape.Flat(IO.Digits.Pixels);
        return new PoolTask("digits (1797 8x8 images, 10 classes)", x, PoolTask.OneHot(labels, 10), TargetKind.Classes, shape);
    }
}
