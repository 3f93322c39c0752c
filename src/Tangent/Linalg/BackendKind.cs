namespace Tangent.Linalg;

/// <summary>Which implementation of <see cref="ILinearAlgebraBackend"/> does the work.</summary>
public enum BackendKind
{
    /// <summary>A native BLAS/LAPACK library (OpenBLAS, MKL, reference LAPACK + BLAS) loaded at run time.</summary>
    Native,
    /// <summary>Pure .NET: Tangent's own SIMD GEMM/SYRK plus MathNet.Numerics' managed provider for factorisations.</summary>
    Managed,
}
