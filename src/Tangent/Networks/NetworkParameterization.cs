namespace Tangent.Networks;

/// <summary>The parameterisations of a finite network (<c>--parameterization</c>).</summary>
public enum NetworkParameterization
{
    /// <summary>(W_std/√fan_in)·W x + b_std·b with W, b ~ N(0, 1): the NTK has a finite limit (Jacot et al. 2018).</summary>
    Ntk,
    /// <summary>W x + b with W ~ N(0, W_std²/fan_in), b ~ N(0, b_std²): PyTorch's default.</summary>
    Standard,
    /// <summary>Maximal-update parameterisation (Yang &amp; Hu, Tensor Programs IV; Yang et al., Tensor Programs V, Table 3).</summary>
    Mup,
    /// <summary>NTK scaling with the readout multiplied by W_std/fan_in instead of W_std/√fan_in (Mei et al. 2018).</summary>
    MeanField,
}

/// <summary>Names of parameterisations on the command line and in specs.</summary>
public static class NetworkParameterizationNames
{
    /// <summary>All names: ntk, standard, mup, mean_field.</summary>
    public static readonly string[] All = ["ntk", "standard", "mup", "mean_field"];

    /// <summary>Parses a name (case-insensitive; '-' and '_' alike).</summary>
    public static NetworkParameterization Parse(string name) => name.Trim().ToLowerInvariant().Replace('-', '_') switch
    {
        "ntk" => NetworkParameterization.Ntk,
        "standard" => NetworkParameterization.Standard,
        "mup" or "mu_p" => NetworkParameterization.Mup,
        "mean_field" or "meanfield" => NetworkParameterization.MeanField,
        _ => throw new ArgumentException($"unknown parameterization '{name}'; use one of {string.Join(", ", All)}"),
    };

    /// <summary>The command-line name.</summary>
    public static string Name(this NetworkParameterization p) => All[(int)p];
}
