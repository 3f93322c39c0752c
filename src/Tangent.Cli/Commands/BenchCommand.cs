using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tangent.Bench;

namespace Tangent.Cli;

/// <summary><c>tangent bench [--json] [NAME ...]</c>: measures named figures (all when none is named).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "print one JSON object {\"figures\": {name: {\"value\": x, \"unit\": ...}}}" };
        var list = new Option<bool>("--list") { Description = "list the figures and exit" };
        var names = new Argument<string[]>("names") { Description = "figures to measure (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var device = DeviceOption.Create();
        var cmd = new Command("bench", "Measure Tangent's named performance figures.") { json, list, names, device };
        cmd.SetAction(p =>
        {
            var registry = DeviceOption.Read(p, device) == Tangent.Gpu.Device.Cuda ? BenchRegistry.Cuda : BenchRegistry.All;
            if (p.GetValue(list))
            {
                foreach (var b in registry) Console.WriteLine($"{b.Name,-32} {b.Description}");
                return CliApp.Ok;
            }
            var wanted = p.GetValue(names) ?? [];
            var unknown = wanted.Where(w => registry.All(b => b.Name != w)).ToList();
            if (unknown.Count > 0) throw new UsageException($"unknown benchmark '{unknown[0]}'; see 'tangent bench --list'");
            var chosen = wanted.Length == 0 ? registry : registry.Where(b => wanted.Contains(b.Name)).ToList();
            if (registry == BenchRegistry.Cuda && !Tangent.Gpu.GpuKernel.IsCudaAvailable(out var why))
                throw new UsageException($"no GPU figures measured: {why}");
            var figures = new Dictionary<string, object>();
            foreach (var b in chosen)
            {
                if (!p.GetValue(json)) Console.Error.WriteLine($"measuring {b.Name} ...");
                var f = DeviceOption.Run(b.Measure);
                var entry = new Dictionary<string, object> { ["value"] = f.Value, ["unit"] = f.Unit };
                foreach (var (k, v) in f.Details) entry[k] = v;
                figures[b.Name] = entry;
                if (!p.GetValue(json))
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{b.Name,-32} {f.Value,12:G4} {f.Unit}  ({string.Join(", ", f.Details.Select(kv => $"{kv.Key}={Show(kv.Value)}"))})"));
            }
            if (p.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["figures"] = figures }));
            return CliApp.Ok;
        });
        return cmd;
    }

    private static string Show(object v) => v is double d ? d.ToString("G4", CultureInfo.InvariantCulture) : Convert.ToString(v, CultureInfo.InvariantCulture) ?? "";
}
