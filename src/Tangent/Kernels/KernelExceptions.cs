namespace Tangent.Kernels;

/// <summary>
/// A request that cannot be met as asked (it would not fit in memory, or the kernel diverges). The message is one line
/// that says why and what to do instead; the CLI prints it and exits with code 2.
/// </summary>
public sealed class KernelRequestException(string message) : Exception(message);
