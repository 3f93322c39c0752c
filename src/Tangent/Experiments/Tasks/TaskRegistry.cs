namespace Tangent.Experiments.Tasks;

/// <summary>The built-in tasks by name; other features register theirs with <see cref="Register"/>.</summary>
public static class TaskRegistry
{
    private static readonly Dictionary<string, ITrainingTask> Tasks = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Lock Gate = new();

    static TaskRegistry()
    {
        Register(new TeacherTask());
        Register(new DigitsTask());
    }

    /// <summary>Adds (or replaces) a task under its name.</summary>
    public static void Register(ITrainingTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        lock (Gate) Tasks[task.Name] = task;
    }

    /// <summary>Every registered name, sorted.</summary>
    public static IReadOnlyList<string> Names
    {
        get { lock (Gate) return Tasks.Keys.Order(StringComparer.Ordinal).ToList(); }
    }

    /// <summary>The task called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such task (the message lists the known ones).</exception>
    public static ITrainingTask Get(string name)
    {
        lock (Gate)
            return Tasks.TryGetValue(name.Trim(), out var t) ? t : throw new ArgumentException($"unknown task '{name}'; use one of {string.Join(", ", Names)}");
    }
}
