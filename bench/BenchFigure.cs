namespace Tangent.Bench;

/// <summary>One measured figure: its value, unit, and whatever else explains it (seconds, sizes, ratio to a baseline).</summary>
public sealed record BenchFigure(string Name, double Value, string Unit, IReadOnlyDictionary<string, object> Details);

/// <summary>A named benchmark: a description and a function that measures it.</summary>
public sealed record BenchDefinition(string Name, string Description, Func<BenchFigure> Measure);
