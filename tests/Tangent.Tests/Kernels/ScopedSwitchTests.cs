using Tangent.Kernels;

namespace Tangent.Tests.Kernels;

public class ScopedSwitchTests
{
    [Fact]
    public void TurningOffReachesTheParallelWorkItStartsButNotOtherThreads()
    {
        var sw = new ScopedSwitch();
        using var othersLooking = new ManualResetEventSlim();
        using var turnedOff = new ManualResetEventSlim();
        bool seenElsewhere = true;
        // Another flow, started before and running while the switch is off here, as a concurrent test would.
        var other = Task.Run(() => { turnedOff.Wait(); seenElsewhere = sw.Enabled; othersLooking.Set(); });
        var seenByWorkers = new bool[64];
        using (sw.TurnOff())
        {
            turnedOff.Set();
            othersLooking.Wait();
            Parallel.For(0, seenByWorkers.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => seenByWorkers[i] = sw.Enabled);
            Assert.False(sw.Enabled);
        }
        other.Wait();
        Assert.All(seenByWorkers, Assert.False);
        Assert.True(seenElsewhere);
        Assert.True(sw.Enabled);
    }

    [Fact]
    public void NestedTurnOffsRestoreTheOuterState()
    {
        var sw = new ScopedSwitch();
        using (sw.TurnOff())
        {
            using (sw.TurnOff()) Assert.False(sw.Enabled);
            Assert.False(sw.Enabled);
        }
        Assert.True(sw.Enabled);
    }
}
