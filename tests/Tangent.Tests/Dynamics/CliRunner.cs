using System.Diagnostics;
using Tangent.IO;
using Tangent.Linalg;

namespace Tangent.Tests.Dynamics;

/// <summary>
/// Runs the real <c>tangent</c> command (Tangent.Cli.dll next to the tests) in a child process, so exit codes, stdout
/// and stderr are the user's, and no test touches the process-wide Console.
/// </summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Tangent.Cli.dll");
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000)) { process.Kill(entireProcessTree: true); Assert.Fail($"tangent {string.Join(' ', args)} timed out"); }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Writes a matrix as .npy in <paramref name="dir"/>; returns the path.</summary>
    public static string Npy(string dir, string name, Matrix<double> m)
    {
        string path = Path.Combine(dir, name);
        ArrayFile.Write(path, m.Data, [m.Rows, m.Cols]);
        return path;
    }

    public static NdArray Read(string path) => ArrayFile.Read(path);

    /// <summary>A fresh temporary directory, removed on dispose.</summary>
    public sealed class Scratch : IDisposable
    {
        public string Dir { get; } = Path.Combine(Path.GetTempPath(), "tangent-dyn-" + Guid.NewGuid().ToString("N"));
        public Scratch() => Directory.CreateDirectory(Dir);
        public string this[string name] => Path.Combine(Dir, name);
        public string[] Files() => Directory.GetFiles(Dir).Select(Path.GetFileName).OfType<string>().Order().ToArray();
        public void Dispose() { try { Directory.Delete(Dir, true); } catch (IOException) { } }
    }
}
