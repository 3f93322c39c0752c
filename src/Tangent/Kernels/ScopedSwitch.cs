namespace Tangent.Kernels;

/// <summary>
/// An on/off switch for an optimised path that tests turn off to compare it with the plain one. Turning it off holds
/// for the caller's asynchronous flow only (the code it calls and the parallel work that code starts), never for other
/// work running meanwhile: a process-wide flag let one test change the path another test was comparing bit for bit.
/// </summary>
internal sealed class ScopedSwitch
{
    private readonly AsyncLocal<bool> _off = new();

    /// <summary>True unless turned off in the current flow.</summary>
    public bool Enabled => !_off.Value;

    /// <summary>Turns the switch off in the current flow until the result is disposed.</summary>
    public IDisposable TurnOff()
    {
        bool wasOff = _off.Value;
        _off.Value = true;
        return new Restore(this, wasOff);
    }

    private sealed class Restore(ScopedSwitch owner, bool wasOff) : IDisposable
    {
        public void Dispose() => owner._off.Value = wasOff;
    }
}
