using System.CommandLine;

namespace Tangent.Cli;

/// <summary>
/// <c>tangent store predict DIR</c>: kernel regression from a tile store larger than memory (preconditioned CG).
/// The options that only an out-of-core solve has live in <see cref="StoreSolveOptions"/>, so that
/// <c>tangent predict --kernel-store DIR</c> can add them next to the ones it already has (--y-train, --diag-reg, ...)
/// and call <see cref="StorePredict.Run"/> with the same request.
/// </summary>
internal static class StorePredictCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "tile store of the training kernel K(X, X) (from 'tangent kernel --x1 X --store DIR')" };
        var yTrain = new Option<string>("--y-train") { Description = "training targets, N x O (or N)", Required = true };
        var kTest = new Option<string?>("--k-test-train") { Description = "K(X*, X) as a file (M x N), instead of --test-store" };
        var fx0 = new Option<string?>("--fx-train-0") { Description = "outputs at initialisation on the training points, N x O (default 0)" };
        var fxTest0 = new Option<string?>("--fx-test-0") { Description = "outputs at initialisation on the test points, M x O (default 0)" };
        var diagReg = new Option<double>("--diag-reg") { Description = "diagonal regularisation, times trace(K)/N unless --diag-reg-absolute", DefaultValueFactory = _ => 0 };
        var absolute = new Option<bool>("--diag-reg-absolute") { Description = "--diag-reg is added as is, not scaled by trace(K)/N" };
        var times = new Option<string?>("--t") { Description = "times: only 'inf' (kernel regression) from a store" };
        var output = new Option<string>("--out", "-o") { Description = "output prefix: PREFIX.train.npy, PREFIX.test.npy, PREFIX.alpha.npy, PREFIX.solve.json", Required = true };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress lines" };
        var cmd = new Command("predict", "Kernel regression (t = inf) from a tile store, out of core: preconditioned conjugate gradients to a stated tolerance.")
        {
            dir, yTrain, kTest, fx0, fxTest0, diagReg, absolute, times, output, quiet,
        };
        var solve = StoreSolveOptions.AddTo(cmd);
        cmd.SetAction(p => StorePredict.Run(solve.Request(p, p.GetValue(dir)!, p.GetValue(yTrain)!, p.GetValue(output)!,
            p.GetValue(kTest), p.GetValue(fx0), p.GetValue(fxTest0), p.GetValue(diagReg), p.GetValue(absolute), p.GetValue(times), p.GetValue(quiet))));
        return cmd;
    }
}

/// <summary>
/// The options only an out-of-core solve has: <c>--test-store</c>, <c>--tol</c>, <c>--max-iter</c>, <c>--rank</c>,
/// <c>--seed</c>. Added to <c>tangent store predict</c>, and meant for <c>tangent predict --kernel-store</c> too:
/// <code>
/// var kernelStore = new Option&lt;string?&gt;("--kernel-store") { Description = "tile store of K(X, X): solve out of core (t = inf)" };
/// cmd.Options.Add(kernelStore);
/// var storeSolve = StoreSolveOptions.AddTo(cmd);
/// // first thing in the action:
/// if (p.GetValue(kernelStore) is { } dir)
///     return StorePredict.Run(storeSolve.Request(p, dir, p.GetValue(yTrain)!, p.GetValue(output)!, p.GetValue(kTest),
///         p.GetValue(fx0), p.GetValue(fxTest0), p.GetValue(diagReg), p.GetValue(absolute), p.GetValue(times), p.GetValue(quiet)));
/// </code>
/// </summary>
internal sealed class StoreSolveOptions
{
    private readonly Option<string?> _testStore = new("--test-store") { Description = "tile store of K(X*, X) ('tangent kernel --x1 TEST --x2 TRAIN --store DIR2'), for test predictions" };
    private readonly Option<double> _tolerance = new("--tol") { Description = "target relative residual ‖(K+λI)α − y‖/‖y‖ per output, checked at the end", DefaultValueFactory = _ => 1e-6 };
    private readonly Option<int> _maxIterations = new("--max-iter") { Description = "most CG iterations (one pass over the store each)", DefaultValueFactory = _ => 500 };
    private readonly Option<int?> _rank = new("--rank") { Description = "columns sampled for the Nyström preconditioner (default min(N, 1000), shrunk to fit memory; 0: none)" };
    private readonly Option<int> _seed = new("--seed") { Description = "seed of the column sample", DefaultValueFactory = _ => 0 };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public static StoreSolveOptions AddTo(Command command)
    {
        var o = new StoreSolveOptions();
        foreach (Option option in new Option[] { o._testStore, o._tolerance, o._maxIterations, o._rank, o._seed }) command.Options.Add(option);
        return o;
    }

    /// <summary>The request, from these options and the values of the options shared with <c>tangent predict</c>.</summary>
    public StorePredictRequest Request(ParseResult p, string store, string yTrain, string prefix, string? kTestTrain, string? fxTrain0, string? fxTest0,
        double diagReg, bool diagRegAbsolute, string? times, bool quiet) => new()
    {
        Store = store,
        YTrain = yTrain,
        OutPrefix = prefix,
        TestStore = p.GetValue(_testStore),
        KTestTrain = kTestTrain,
        FxTrain0 = fxTrain0,
        FxTest0 = fxTest0,
        DiagReg = diagReg,
        DiagRegAbsolute = diagRegAbsolute,
        Tolerance = p.GetValue(_tolerance),
        MaxIterations = p.GetValue(_maxIterations),
        Rank = p.GetValue(_rank),
        Seed = p.GetValue(_seed),
        Times = times,
        Quiet = quiet,
    };
}
