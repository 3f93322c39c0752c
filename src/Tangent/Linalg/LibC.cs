using System.Runtime.InteropServices;

namespace Tangent.Linalg;

/// <summary>
/// The three C-library calls the native loader needs and .NET does not offer: <c>getenv</c>/<c>setenv</c> on the
/// native environment (on Linux <see cref="Environment.SetEnvironmentVariable(string, string?)"/> only changes .NET's
/// own copy, which a native library's <c>getenv</c> never sees), and <c>dladdr</c> to name the file a symbol came from.
/// Everything here is best effort: on an unknown C library the calls report failure instead of throwing.
/// </summary>
internal static unsafe class LibC
{
    [StructLayout(LayoutKind.Sequential)]
    private struct DlInfo
    {
        public byte* FileName;
        public void* FileBase;
        public byte* SymbolName;
        public void* SymbolAddress;
    }

    private static readonly delegate* unmanaged<byte*, byte*> s_getenv;
    private static readonly delegate* unmanaged<byte*, byte*, int, int> s_setenv;
    private static readonly delegate* unmanaged<void*, DlInfo*, int> s_dladdr;

    static LibC()
    {
        string? name = OperatingSystem.IsLinux() ? "libc.so.6"   // glibc; a bare "libc.so" is often a linker script
                     : OperatingSystem.IsMacOS() ? "/usr/lib/libSystem.B.dylib"
                     : null;
        if (name is null || !NativeLibrary.TryLoad(name, out nint libc)) return;
        if (NativeLibrary.TryGetExport(libc, "getenv", out nint p)) s_getenv = (delegate* unmanaged<byte*, byte*>)p;
        if (NativeLibrary.TryGetExport(libc, "setenv", out p)) s_setenv = (delegate* unmanaged<byte*, byte*, int, int>)p;
        if (NativeLibrary.TryGetExport(libc, "dladdr", out p)) s_dladdr = (delegate* unmanaged<void*, DlInfo*, int>)p;
    }

    /// <summary>
    /// Sets <paramref name="name"/> in the native environment unless it is already set there.
    /// Returns false when the C library could not be reached.
    /// </summary>
    public static bool SetEnvIfUnset(string name, string value)
    {
        if (s_getenv == null || s_setenv == null) return false;
        fixed (byte* n = NullTerminated(name), v = NullTerminated(value))
            return s_setenv(n, v, 0) == 0;   // overwrite = 0: a value the user exported wins
    }

    /// <summary>The native environment's value of <paramref name="name"/>, or null.</summary>
    public static string? GetEnv(string name)
    {
        if (s_getenv == null) return null;
        fixed (byte* n = NullTerminated(name))
            return Marshal.PtrToStringUTF8((nint)s_getenv(n));
    }

    /// <summary>The path of the shared object that contains <paramref name="address"/>, or null.</summary>
    public static string? FileContaining(nint address)
    {
        if (s_dladdr == null || address == 0) return null;
        DlInfo info;
        return s_dladdr((void*)address, &info) != 0 ? Marshal.PtrToStringUTF8((nint)info.FileName) : null;
    }

    private static byte[] NullTerminated(string s)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
        System.Text.Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
