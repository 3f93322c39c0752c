using Tangent.Experiments;
using Tangent.Networks;

namespace Tangent.Tests.Experiments;

/// <summary>Experiment files: every key read, and every kind of mistake named in one line.</summary>
public class ExperimentFileTests
{
    [Fact]
    public void ReadsEveryKey()
    {
        var e = ExperimentFile.Parse("""
        { "task": {"name": "sparse-parity", "dim": 12, "k": 3},
          "architecture": "dense(w=1.41) > relu > dense", "width": 64, "parameterization": "ntk", "alpha": 0.5,
          "training": {"optimizer": "adam", "learning_rate": 0.01, "steps": 50, "batch_size": 16},
          "metrics": ["test-loss", "kernel-alignment"], "train_sizes": [10, 20], "test_size": 40,
          "seeds": 4, "first_seed": 7, "linearised": false, "ridge": 1e-3, "margin": 0.1, "confidence": 0.9 }
        """);
        Assert.Equal(("sparse-parity", 12, 3), (e.Task.Name, e.Task.Dim!.Value, e.Task.K!.Value));
        Assert.Equal(("dense(w=1.41) > relu > dense", 64, NetworkParameterization.Ntk, 0.5), (e.Architecture, e.Width, e.Parameterization, e.Alpha));
        Assert.Equal(new TrainingSpec { Optimizer = "adam", LearningRate = 0.01, Steps = 50, BatchSize = 16 }, e.Training);
        Assert.Equal([FalsifierMetric.TestLoss, FalsifierMetric.KernelAlignment], e.Metrics);
        Assert.Equal([10, 20], e.TrainSizes);
        Assert.Equal((40, 4, 7UL, false, 1e-3, 0.1, 0.9), (e.TestSize, e.Seeds, e.FirstSeed, e.Linearised, e.Ridge, e.Margin, e.Confidence));
        Assert.Equal([7UL, 8, 9, 10], e.SeedList);
    }

    [Fact]
    public void TaskMayBeAPlainNameAndArchitectureAJsonList()
    {
        var e = ExperimentFile.Parse("""{"task": "teacher-poly", "architecture": [{"type": "Dense", "W_std": 1.5}, {"type": "Relu"}, {"type": "Dense"}]}""");
        Assert.Equal("teacher-poly", e.Task.Name);
        Assert.Equal(3, Tangent.Layers.Architecture.Parse(e.Architecture).Layers.Count);
        Assert.Null(e.Metrics);   // chosen by the task
        Assert.Equal([FalsifierMetric.TestLoss, FalsifierMetric.SampleEfficiency], e.MetricsFor(TargetKind.Regression));
        Assert.Equal([FalsifierMetric.TestAccuracy, FalsifierMetric.SampleEfficiency], e.MetricsFor(TargetKind.Sign));
    }

    [Theory]
    [InlineData("""{"taks": "sparse-parity"}""", "\"taks\": unknown key")]
    [InlineData("""{"task": {"name": "sparse-parity", "kk": 3}}""", "\"task.kk\": unknown key")]
    [InlineData("""{"task": {"dim": 3}}""", "needs a \"name\"")]
    [InlineData("""{"training": {"steps": "many"}}""", "\"training.steps\": expected an integer, got \"many\"")]
    [InlineData("""{"training": {"optimizer": "rmsprop"}}""", "unknown optimiser 'rmsprop'")]
    [InlineData("""{"seeds": 1}""", "seeds must be at least 2")]
    [InlineData("""{"train_sizes": [100, 50]}""", "must increase")]
    [InlineData("""{"metrics": ["accuracy"]}""", "unknown metric 'accuracy'")]
    [InlineData("""{"metrics": []}""", "at least one metric")]
    [InlineData("""{"parameterization": "xavier"}""", "unknown parameterization 'xavier'")]
    [InlineData("""{"width": 0}""", "width must be a positive integer")]
    [InlineData("""{"confidence": 1.5}""", "confidence must lie in")]
    [InlineData("""[1, 2]""", "expected a JSON object")]
    [InlineData("""{"task": "sparse-parity" """, "not valid JSON")]
    public void MistakesAreNamed(string json, string expected)
    {
        var error = Assert.Throws<ExperimentException>(() => ExperimentFile.Parse(json, "exp.json"));
        Assert.StartsWith("exp.json: ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void DataPathsAreRelativeToTheFile()
    {
        string dir = Path.Combine(Path.GetTempPath(), "tangent-exp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "e.json"), """{"task": {"name": "data/x.csv", "targets": "y.npy"}, "architecture": "@spec.json"}""");
            var e = ExperimentFile.Read(Path.Combine(dir, "e.json"));
            Assert.Equal(Path.Combine(dir, "data/x.csv"), e.Task.Name);
            Assert.Equal(Path.Combine(dir, "y.npy"), e.Task.Targets);
            Assert.Equal("@" + Path.Combine(dir, "spec.json"), e.Architecture);
            Assert.Contains("no such experiment file", Assert.Throws<ExperimentException>(() => ExperimentFile.Read(Path.Combine(dir, "missing.json"))).Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}

/// <summary>The example experiment files shipped in examples/falsify parse, and the demo runs the first one.</summary>
public class ExampleExperimentTests
{
    private static string Examples([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "examples", "falsify"));

    [Fact]
    public void ExamplesParseAndTheDemoIsTheSparseParityExample()
    {
        var parity = ExperimentFile.Read(Path.Combine(Examples(), "sparse-parity.json"));
        var teacher = ExperimentFile.Read(Path.Combine(Examples(), "teacher-poly.json"));
        Assert.Equal(("sparse-parity", 30, 2), (parity.Task.Name, parity.Task.Dim!.Value, parity.Task.K!.Value));
        Assert.Equal(("teacher-poly", 1), (teacher.Task.Name, teacher.Task.Degree!.Value));
        var demo = Tangent.Cli.DemoCommand.Experiment(5);
        Assert.Equal(parity.Task, demo.Task);
        Assert.Equal(parity.TrainSizes, demo.TrainSizes);
        Assert.Equal(parity.Metrics, demo.Metrics);
        Assert.Equal((parity.TestSize, parity.Seeds, parity.Width, parity.Training), (demo.TestSize, demo.Seeds, demo.Width, demo.Training));
    }
}
