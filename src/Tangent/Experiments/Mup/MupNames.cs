using Tangent.Networks;

namespace Tangent.Experiments.Mup;

/// <summary>
/// The short names the μP experiments use in files and on the command line: <c>sp</c> (standard parameterisation:
/// N(0, W_std²/fan_in) init, one global learning rate) and <c>mup</c>; <c>sgd</c> and <c>adam</c>.
/// </summary>
public static class MupNames
{
    /// <summary><c>sp</c> for <see cref="NetworkParameterization.Standard"/>, <c>mup</c> for <see cref="NetworkParameterization.Mup"/>.</summary>
    public static string Short(NetworkParameterization p) => p switch
    {
        NetworkParameterization.Standard => "sp",
        NetworkParameterization.Mup => "mup",
        _ => p.Name(),
    };

    /// <summary>The label plots use: SP or μP.</summary>
    public static string Label(NetworkParameterization p) => p == NetworkParameterization.Mup ? "μP" : p == NetworkParameterization.Standard ? "SP" : p.Name();

    /// <summary>Parses <c>sp</c> / <c>standard</c> / <c>mup</c>; throws <see cref="ArgumentException"/> otherwise.</summary>
    public static NetworkParameterization Parameterization(string name) => name.Trim().ToLowerInvariant() switch
    {
        "sp" or "standard" => NetworkParameterization.Standard,
        "mup" or "mu_p" or "μp" => NetworkParameterization.Mup,
        _ => throw new ArgumentException($"unknown parameterisation '{name}'; use sp or mup"),
    };

    /// <summary><c>sgd</c> or <c>adam</c>.</summary>
    public static string Short(OptimizerKind o) => o == OptimizerKind.Adam ? "adam" : "sgd";

    /// <summary>The label plots use: SGD or Adam.</summary>
    public static string Label(OptimizerKind o) => o == OptimizerKind.Adam ? "Adam" : "SGD";

    /// <summary>Parses <c>sgd</c> / <c>adam</c>; throws <see cref="ArgumentException"/> otherwise.</summary>
    public static OptimizerKind Optimizer(string name) => name.Trim().ToLowerInvariant() switch
    {
        "sgd" => OptimizerKind.Sgd,
        "adam" => OptimizerKind.Adam,
        _ => throw new ArgumentException($"unknown optimiser '{name}'; use sgd or adam"),
    };
}
