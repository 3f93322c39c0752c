using Tangent.Linalg;

namespace Tangent.Dynamics;

/// <summary>
/// A multiple of the identity added to a training kernel before it is diagonalised or factorised: ridge regression,
/// observation noise, or a guard against a singular kernel.
/// </summary>
/// <remarks>
/// Relative by default, as neural-tangents' <c>diag_reg</c>: the amount added is <c>Value · trace(K)/N</c>, so one
/// setting means the same for kernels of any scale. With <see cref="IsAbsolute"/> the amount is <see cref="Value"/> itself
/// (neural-tangents' <c>diag_reg_absolute_scale=True</c>).
/// </remarks>
/// <param name="Value">The coefficient; zero (the default) adds nothing.</param>
/// <param name="IsAbsolute">Whether <paramref name="Value"/> is added as is, rather than scaled by the mean diagonal.</param>
public readonly record struct DiagonalRegularization(double Value, bool IsAbsolute = false)
{
    /// <summary>No regularisation.</summary>
    public static DiagonalRegularization None => default;

    /// <summary><c>value · trace(K)/N</c> added to the diagonal.</summary>
    public static DiagonalRegularization Relative(double value) => new(value, false);

    /// <summary><c>value</c> added to the diagonal.</summary>
    public static DiagonalRegularization Absolute(double value) => new(value, true);

    /// <summary>Whether anything is added.</summary>
    public bool IsZero => Value == 0;

    /// <summary>The amount added to each diagonal entry of the square row-major <paramref name="kernel"/> (n x n).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double AmountFor(ReadOnlySpan<double> kernel, int n)
    {
        if (!double.IsFinite(Value) || Value < 0)
            throw new ArgumentOutOfRangeException(nameof(Value), Value, "diagonal regularisation must be finite and non-negative");
        if (Value == 0 || n == 0) return 0;
        if (IsAbsolute) return Value;
        double trace = 0;
        for (int i = 0; i < n; i++) trace += kernel[i * n + i];
        return Value * trace / n;
    }

    /// <summary>A copy of the square <paramref name="kernel"/> with the regularisation on its diagonal.</summary>
    public Matrix<double> AppliedTo(Matrix<double> kernel)
    {
        var copy = kernel.Clone();
        double amount = AmountFor(kernel.Data, kernel.Rows);
        for (int i = 0; i < kernel.Rows; i++) copy.Data[i * kernel.Rows + i] += amount;
        return copy;
    }

    /// <inheritdoc/>
    public override string ToString() => Value == 0 ? "none" : IsAbsolute ? $"{Value:G6} (absolute)" : $"{Value:G6} x trace/N";
}
