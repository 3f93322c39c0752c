using System.Globalization;

namespace Tangent.Solvers;

/// <summary>The process's real memory use as the operating system counts it (what a memory limit on a cluster node enforces).</summary>
public static class ProcessMemory
{
    /// <summary>Peak resident set size (VmHWM of /proc/self/status) in bytes, or null where the OS does not say (not Linux).</summary>
    public static long? PeakResidentBytes() => Read("VmHWM:");

    /// <summary>Current resident set size (VmRSS) in bytes, or null where unknown.</summary>
    public static long? ResidentBytes() => Read("VmRSS:");

    private static long? Read(string key)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
                string[] parts = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture) * (parts.Length > 1 && parts[1] == "kB" ? 1024 : 1);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        return null;
    }
}
