using System.Runtime.InteropServices;

namespace Tangent.Cli;

/// <summary>
/// A cancellation token that fires on Ctrl+C and on SIGTERM, which cluster schedulers send before killing a job at
/// its time limit or on preemption: long store work stops at the next safe point instead of dying mid-write.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration? _term;

    public Interruption()
    {
        Console.CancelKeyPress += OnCancelKey;
        try { _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; _source.Cancel(); }); }
        catch (PlatformNotSupportedException) { }
    }

    /// <summary>Cancelled on Ctrl+C or SIGTERM.</summary>
    public CancellationToken Token => _source.Token;

    private void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        _source.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKey;
        _term?.Dispose();
        _source.Dispose();
    }
}
