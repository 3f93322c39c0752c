using System.CommandLine;

namespace Tangent.Cli;

/// <summary>
/// <c>tangent store predict DIR</c>: kernel regression from a tile store larger than memory (preconditioned CG).
/// Its options are built by <see cref="Options"/> so that <c>tangent predict --kernel-store DIR</c> can offer the same ones.
/// </summary>
internal static class StorePredictCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "tile store of the training kernel K(X, X) (from 'tangent kernel --x1 X --store DIR')" };
        var o = new Options();
        var output = new Option<string>("--out", "-o") { Description = "output prefix: PREFIX.train.npy, PREFIX.test.npy, PREFIX.alpha.npy, PREFIX.solve.json", Required = true };
        var cmd = new Command("predict", "Kernel regression (t = inf) from a tile store, out of core: preconditioned conjugate gradients to a stated tolerance.") { dir, output };
        o.AddTo(cmd);
        cmd.SetAction(p => StorePredict.Run(o.Request(p, p.GetValue(dir)!, p.GetValue(output)!)));
        return cmd;
    }

    /// <summary>The options of an out-of-core prediction, for <c>tangent store predict</c> and <c>tangent predict --kernel-store</c>.</summary>
    internal sealed class Options
    {
        public readonly Option<string> YTrain = new("--y-train") { Description = "training targets, N x O (or N)", Required = true };
        public readonly Option<string?> TestStore = new("--test-store") { Description = "tile store of K(X*, X) ('tangent kernel --x1 TEST --x2 TRAIN --store DIR2'), for test predictions" };
        public readonly Option<string?> KTestTrain = new("--k-test-train") { Description = "K(X*, X) as a file (M x N), instead of --test-store" };
        public readonly Option<string?> FxTrain0 = new("--fx-train-0") { Description = "outputs at initialisation on the training points, N x O (default 0)" };
        public readonly Option<string?> FxTest0 = new("--fx-test-0") { Description = "outputs at initialisation on the test points, M x O (default 0)" };
        public readonly Option<double> DiagReg = new("--diag-reg") { Description = "diagonal regularisation, times trace(K)/N unless --diag-reg-absolute", DefaultValueFactory = _ => 0 };
        public readonly Option<bool> Absolute = new("--diag-reg-absolute") { Description = "--diag-reg is added as is, not scaled by trace(K)/N" };
        public readonly Option<double> Tolerance = new("--tol") { Description = "target relative residual ‖(K+λI)α − y‖/‖y‖ per output, checked at the end", DefaultValueFactory = _ => 1e-6 };
        public readonly Option<int> MaxIterations = new("--max-iter") { Description = "most CG iterations (one pass over the store each)", DefaultValueFactory = _ => 500 };
        public readonly Option<int?> Rank = new("--rank") { Description = "columns sampled for the Nyström preconditioner (default min(N, 1000), shrunk to fit memory; 0: none)" };
        public readonly Option<int> Seed = new("--seed") { Description = "seed of the column sample", DefaultValueFactory = _ => 0 };
        public readonly Option<string?> Times = new("--t") { Description = "times: only 'inf' (kernel regression) from a store" };
        public readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "no progress lines" };

        public void AddTo(Command cmd)
        {
            foreach (Option option in new Option[] { YTrain, TestStore, KTestTrain, FxTrain0, FxTest0, DiagReg, Absolute, Tolerance, MaxIterations, Rank, Seed, Times, Quiet })
                cmd.Options.Add(option);
        }

        public StorePredictRequest Request(ParseResult p, string store, string prefix) => new()
        {
            Store = store,
            YTrain = p.GetValue(YTrain)!,
            TestStore = p.GetValue(TestStore),
            KTestTrain = p.GetValue(KTestTrain),
            FxTrain0 = p.GetValue(FxTrain0),
            FxTest0 = p.GetValue(FxTest0),
            DiagReg = p.GetValue(DiagReg),
            DiagRegAbsolute = p.GetValue(Absolute),
            Tolerance = p.GetValue(Tolerance),
            MaxIterations = p.GetValue(MaxIterations),
            Rank = p.GetValue(Rank),
            Seed = p.GetValue(Seed),
            Times = p.GetValue(Times),
            OutPrefix = prefix,
            Quiet = p.GetValue(Quiet),
        };
    }
}
