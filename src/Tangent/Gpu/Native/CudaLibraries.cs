using System.Runtime.InteropServices;

namespace Tangent.Gpu.Native;

/// <summary>
/// Finds the CUDA maths libraries at run time with <see cref="NativeLibrary.TryLoad(string, out IntPtr)"/>, so that
/// Tangent builds and runs without them (CI, machines without a GPU): the directory in <c>TANGENT_CUDA_LIBS</c> first,
/// then the loader's search path, then the usual toolkit folders and the folders of NVIDIA's Python wheels (PyTorch
/// brings its own cuBLAS and cuSOLVER there).
/// </summary>
internal static class CudaLibraries
{
    /// <summary>Loads the first library found among <paramref name="names"/> (e.g. libcublas.so.13, libcublas.so.12); null if none.</summary>
    public static (IntPtr Handle, string Path)? Load(IEnumerable<string> names)
    {
        var list = names.ToList();
        foreach (var dir in Directories())
            foreach (var name in list)
            {
                string path = Path.Combine(dir, name);
                if (File.Exists(path) && NativeLibrary.TryLoad(path, out var h)) return (h, path);
            }
        foreach (var name in list)
            if (NativeLibrary.TryLoad(name, out var h)) return (h, name);
        return null;
    }

    /// <summary>File names for a library stem and its known major versions, newest first, then the unversioned name.</summary>
    public static IEnumerable<string> Names(string stem, params int[] versions) =>
        versions.Select(v => $"{stem}.so.{v}").Append($"{stem}.so");

    private static IEnumerable<string> Directories()
    {
        if (Environment.GetEnvironmentVariable("TANGENT_CUDA_LIBS") is { Length: > 0 } own)
            foreach (var d in own.Split(':', StringSplitOptions.RemoveEmptyEntries)) yield return d;
        foreach (var variable in new[] { "CUDA_HOME", "CUDA_PATH" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } home)
            {
                yield return Path.Combine(home, "lib64");
                yield return Path.Combine(home, "lib");
            }
        yield return "/usr/local/cuda/lib64";
        yield return "/usr/local/cuda/targets/x86_64-linux/lib";
        foreach (var d in WheelDirectories()) yield return d;
    }

    /// <summary>site-packages/nvidia/*/lib of Python environments under /opt and /usr (NVIDIA's wheels for PyTorch, CuPy, JAX).</summary>
    private static IEnumerable<string> WheelDirectories()
    {
        var roots = new List<string>();
        foreach (var top in new[] { "/opt", "/usr/local/lib", "/usr/lib" })
        {
            if (!Directory.Exists(top)) continue;
            try
            {
                roots.AddRange(Directory.EnumerateDirectories(top, "site-packages", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 5, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint }));
                roots.AddRange(Directory.EnumerateDirectories(top, "dist-packages", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 5, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint }));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        foreach (var root in roots)
        {
            string nvidia = Path.Combine(root, "nvidia");
            if (!Directory.Exists(nvidia)) continue;
            foreach (var sub in Directory.EnumerateDirectories(nvidia))
            {
                string lib = Path.Combine(sub, "lib");
                if (Directory.Exists(lib)) yield return lib;
            }
        }
    }

    /// <summary>The address of an exported function, or an exception naming it and the library.</summary>
    public static IntPtr Export(IntPtr library, string path, string name) =>
        NativeLibrary.TryGetExport(library, name, out var f) ? f : throw new GpuUnavailableException($"{path} has no function {name}; it is not a usable CUDA library");
}
