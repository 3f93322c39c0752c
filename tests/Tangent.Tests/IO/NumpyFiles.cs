namespace Tangent.Tests.IO;

/// <summary>
/// Files written by numpy 1.24.2's <c>np.save</c> (Debian bookworm), base64-encoded: an external oracle for
/// the byte layout Tangent promises to match.
/// </summary>
internal static class NumpyFiles
{
    /// <summary><c>np.arange(6, dtype='&lt;f8').reshape(2, 3) / 4</c></summary>
    public const string Arange2x3Over4 =
        "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAANA/AAAAAAAA4D8AAAAAAADoPwAAAAAAAPA/AAAAAAAA9D8=";

    /// <summary><c>np.array([1.5, -2, 0.1, 3e30, -0.0], dtype='&lt;f4')</c></summary>
    public const string Float32Vector =
        "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDUsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwM3MzD0XdhdyAAAAgA==";

    /// <summary><c>np.float64(-7.25)</c> (a 0-d array)</summary>
    public const string Scalar =
        "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAdwA==";
}
