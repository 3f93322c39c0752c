using System.Diagnostics;

namespace Tangent.Tests.Sharding;

/// <summary>A `tangent` child process started without waiting, so a test can watch it and kill it.</summary>
internal sealed class ShardProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly Task<string> _stdout;

    public ShardProcess(IDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Tangent.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) start.Environment[k] = v;
        _process = Process.Start(start)!;
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL on Unix: no handler runs, nothing is flushed or cleaned up.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

    public (int ExitCode, string Out, string Err) Wait(TimeSpan? timeout = null)
    {
        if (!_process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2))) { _process.Kill(true); throw new TimeoutException("tangent did not finish"); }
        _process.WaitForExit();
        return (_process.ExitCode, _stdout.Result, _stderr.Result);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(true);
        _process.Dispose();
    }
}
