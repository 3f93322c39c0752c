namespace Tangent.Experiments;

/// <summary>
/// An experiment that cannot run as described: an unknown task, a bad value in an experiment file, a metric the task
/// cannot measure. The message is one line naming the problem; the command line maps it to exit code 2.
/// </summary>
public sealed class ExperimentException(string message) : Exception(message);
