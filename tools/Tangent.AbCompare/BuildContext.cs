using System.Reflection;
using System.Runtime.Loader;

namespace Tangent.AbCompare;

/// <summary>
/// One build of the CLI (its output folder) loaded in a context of its own, so two builds of the same assemblies can
/// run side by side in one process. Assemblies the folder holds come from it; the framework's come from the default context.
/// </summary>
internal sealed class BuildContext(string folder) : AssemblyLoadContext(name: folder, isCollectible: false)
{
    public string Folder { get; } = folder;

    protected override Assembly? Load(AssemblyName name)
    {
        var path = Path.Combine(Folder, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    /// <summary>The measuring function of the named <c>tangent bench</c> figure in this build.</summary>
    public Func<(double Value, string Unit)> Figure(string name)
    {
        var cli = LoadFromAssemblyPath(Path.Combine(Folder, "Tangent.Cli.dll"));
        var registry = cli.GetType("Tangent.Bench.BenchRegistry") ?? throw new InvalidOperationException($"{Folder}: no Tangent.Bench.BenchRegistry");
        var all = (System.Collections.IEnumerable)registry.GetProperty("All")!.GetValue(null)!;
        foreach (var definition in all)
        {
            var type = definition.GetType();
            if ((string)type.GetProperty("Name")!.GetValue(definition)! != name) continue;
            var measure = (Delegate)type.GetProperty("Measure")!.GetValue(definition)!;
            return () =>
            {
                var figure = measure.DynamicInvoke()!;
                var t = figure.GetType();
                return ((double)t.GetProperty("Value")!.GetValue(figure)!, (string)t.GetProperty("Unit")!.GetValue(figure)!);
            };
        }
        throw new ArgumentException($"{Folder}: no bench figure named {name}");
    }
}
