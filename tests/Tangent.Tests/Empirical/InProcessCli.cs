namespace Tangent.Tests.Empirical;

/// <summary>
/// Runs the <c>tangent</c> command line in-process, capturing stderr: faster than a child process for the dozen runs of
/// these tests; the collection runs alone, so nothing else writes to the console meanwhile.
/// </summary>
internal static class InProcessCli
{
    private static readonly object Gate = new();

    public static (int Code, string Stderr) Run(params string[] args)
    {
        lock (Gate)
        {
            var previous = Console.Error;
            var capture = new StringWriter();
            Console.SetError(capture);
            try { return (Tangent.Cli.CliApp.Run(args), capture.ToString()); }
            finally { Console.SetError(previous); }
        }
    }
}

[CollectionDefinition("in-process cli", DisableParallelization = true)]
public sealed class InProcessCliCollection;
