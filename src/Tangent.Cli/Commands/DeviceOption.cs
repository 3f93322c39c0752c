using System.CommandLine;
using Tangent.Gpu;

namespace Tangent.Cli;

/// <summary><c>--device cpu|cuda</c>, shared by the commands that can run on a GPU; CPU is the default.</summary>
internal static class DeviceOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--device") { Description = "where to compute: cpu (default) or cuda (the first NVIDIA GPU)", DefaultValueFactory = _ => "cpu" };
        option.AcceptOnlyFromAmong(DeviceNames.All);
        return option;
    }

    public static Device Read(ParseResult p, Option<string> option) => DeviceNames.Parse(p.GetValue(option)!);

    /// <summary>Runs <paramref name="work"/>, turning "no usable GPU" into the command line's one-line usage error (exit code 2).</summary>
    public static T Run<T>(Func<T> work)
    {
        try { return work(); }
        catch (GpuUnavailableException e) { throw new UsageException(e.Message); }
    }
}
