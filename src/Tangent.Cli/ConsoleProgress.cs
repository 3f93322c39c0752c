using System.Diagnostics;
using Spectre.Console;

namespace Tangent.Cli;

/// <summary>
/// Runs long work with a progress display on stderr that appears only once the work has taken more than a second:
/// a Spectre.Console bar with time remaining on a terminal, a plain line every 10 % otherwise (logs, CI).
/// </summary>
internal static class ConsoleProgress
{
    public static TResult Run<TResult>(string label, Func<IProgress<double>, TResult> work, bool quiet = false)
    {
        var state = new Shared();
        var task = Task.Run(() => work(state));
        if (quiet || Finished(task, 1000)) return task.GetAwaiter().GetResult();

        var clock = Stopwatch.StartNew();
        if (!Console.IsErrorRedirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var bar = ctx.AddTask(label, maxValue: 1.0);
                    while (!Finished(task, 100)) bar.Value = state.Fraction;
                    bar.Value = 1.0;
                });
        }
        else
        {
            int lastDecile = 0;
            while (!Finished(task, 250))
            {
                int decile = (int)(state.Fraction * 10);
                if (decile <= lastDecile) continue;
                lastDecile = decile;
                double left = state.Fraction > 0 ? clock.Elapsed.TotalSeconds * (1 - state.Fraction) / state.Fraction : double.NaN;
                Console.Error.WriteLine($"{label}: {decile * 10}% ({clock.Elapsed.TotalSeconds + 1:0.0} s, about {left:0.0} s left)");
            }
        }
        return task.GetAwaiter().GetResult();
    }

    // Task.Wait throws an AggregateException when the work failed; waiting without throwing lets GetResult() rethrow
    // the original exception, which the command line maps to its exit code (2 for bad input).
    private static bool Finished(Task task, int milliseconds) => Task.WaitAny([task], milliseconds) >= 0;

    private sealed class Shared : IProgress<double>
    {
        private double _fraction;
        public double Fraction => Volatile.Read(ref _fraction);
        public void Report(double value) => Volatile.Write(ref _fraction, Math.Max(_fraction, value));
    }
}
