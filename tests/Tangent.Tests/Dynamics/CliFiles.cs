using Tangent.IO;
using Tangent.Linalg;

namespace Tangent.Tests.Dynamics;

/// <summary>
/// The dynamics and spectra CLI tests' helpers: the shared child-process runner (exit codes, stdout and stderr as the
/// user sees them), matrices as .npy files, scratch directories.
/// </summary>
public static class CliFiles
{
    public static Tangent.Tests.Cli.CliRunner.Result Run(params string[] args) => Tangent.Tests.Cli.CliRunner.Run(args);

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
