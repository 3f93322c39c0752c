namespace Tangent.Cli;

/// <summary>Builds the command tree and runs it.</summary>
internal static class CliApp
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("tangent: not yet implemented");
        return 1;
    }
}
