using Tangent.AbCompare;

// Compares one `tangent bench` figure between two builds, alternating them in one process so that both see the same
// machine: on a shared virtual machine the speed of the same binary moves by tens of per cent from one process, or one
// minute, to the next, far more than most changes one wants to measure.
if (args.Length < 3 || args.Contains("--help") || args.Contains("-h"))
{
    Console.Error.WriteLine("usage: Tangent.AbCompare FOLDER_A FOLDER_B FIGURE [ROUNDS]\n  FOLDER_*: two build outputs of src/Tangent.Cli (bin/Release/net10.0), FIGURE: a `tangent bench` name, ROUNDS: default 5");
    return 2;
}
string folderA = Path.GetFullPath(args[0]), folderB = Path.GetFullPath(args[1]), name = args[2];
int rounds = args.Length > 3 && int.TryParse(args[3], out var r) && r > 0 ? r : 5;
foreach (var folder in new[] { folderA, folderB })
    if (!File.Exists(Path.Combine(folder, "Tangent.Cli.dll")))
    {
        Console.Error.WriteLine($"error: {folder} holds no Tangent.Cli.dll (give a build output folder of src/Tangent.Cli)");
        return 2;
    }
var builds = new[] { new BuildContext(folderA), new BuildContext(folderB) };
Func<(double Value, string Unit)>[] figures;
try { figures = builds.Select(b => b.Figure(name)).ToArray(); }
catch (ArgumentException e) { Console.Error.WriteLine($"error: {e.Message}"); return 2; }
var values = new List<double>[] { [], [] };
string unit = "";
for (int round = 0; round < rounds; round++)
{
    // Alternate which build goes first, so neither always follows the other.
    foreach (int k in round % 2 == 0 ? new[] { 0, 1 } : [1, 0])
    {
        var (value, u) = figures[k]();
        values[k].Add(value);
        unit = u;
        Console.WriteLine($"round {round + 1} {(k == 0 ? "A" : "B")}: {value:G4} {u}");
    }
}
// Rates are larger-is-better and times smaller-is-better; report both the best and the median of each build.
bool rate = unit.Contains("/s");
double Best(List<double> v) => rate ? v.Max() : v.Min();
double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
Console.WriteLine($"A best {Best(values[0]):G4}  median {Median(values[0]):G4}  {folderA}");
Console.WriteLine($"B best {Best(values[1]):G4}  median {Median(values[1]):G4}  {folderB}");
Console.WriteLine($"B/A: best {Best(values[1]) / Best(values[0]):F3}, median {Median(values[1]) / Median(values[0]):F3} ({unit}; {(rate ? "above 1: B faster" : "below 1: B faster")})");
return 0;
