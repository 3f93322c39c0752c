using System.CommandLine;
using Tangent.IO;
using Tangent.Kernels;
using Tangent.Specs;

namespace Tangent.Cli;

/// <summary>Builds the command tree, runs it, and maps failures to exit codes (0 ok, 2 bad usage or input, 1 other).</summary>
internal static class CliApp
{
    public const int Ok = 0, Failure = 1, BadInput = 2;

    public static int Run(string[] args)
    {
        // Named 'tangent' (not the assembly's name) so help and errors read as users type the command.
        var root = new Command("tangent", "Tangent: neural tangent kernels — analytic NNGP/NTK, empirical NTKs, training dynamics.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(KernelCommand.Create());
        root.Subcommands.Add(EmpiricalCommand.Create());
        root.Subcommands.Add(ConvergeCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(PredictCommand.Create()); root.Subcommands.Add(SpectrumCommand.Create()); root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(StoreCommand.Create());
        root.Subcommands.Add(TrainCommand.Create()); root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(FalsifyCommand.Create());
        root.Subcommands.Add(MupCommand.Create());

        // `--arch @spec.json` names a spec file: no response-file expansion of @arguments.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            // A mistyped command also raises "required command was not provided": report the unrecognised token first.
            var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            Console.Error.WriteLine($"tangent: error: {OneLine(error.Message)} (see 'tangent --help')");
            return BadInput;
        }
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsBadInput(e))
        {
            Console.Error.WriteLine($"tangent: error: {OneLine(e.Message)}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("tangent: interrupted; no output was written");
            return 130;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"tangent: internal error: {OneLine(e.Message)} ({e.GetType().Name}); please report it with the command line");
            if (Environment.GetEnvironmentVariable("TANGENT_DEBUG") == "1") Console.Error.WriteLine(e);
            return Failure;
        }
    }

    private static bool IsBadInput(Exception e) =>
        e is SpecException or DataFormatException or KernelRequestException or UsageException or Tangent.Experiments.ExperimentException;

    private static string OneLine(string s) => string.Join(' ', s.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()));
}

/// <summary>A command line that parses but makes no sense (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
