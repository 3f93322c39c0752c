namespace Tangent.Tests.Empirical;

/// <summary>Runs the <c>tangent</c> command line in-process, capturing stderr (tests using it share one collection, so captures never interleave).</summary>
internal static class CliRunner
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

[CollectionDefinition("cli", DisableParallelization = true)]
public sealed class CliCollection;
