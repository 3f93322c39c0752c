using System.Numerics;
using ILGPU;

namespace Tangent.Gpu;

/// <summary>The arguments of <see cref="FlatKernels.Recursion{T, P}"/> for one panel of rows.</summary>
internal struct FlatPanelArgs<T> where T : unmanaged
{
    /// <summary>In: the input Gram Σ0 of the panel (rows x N2, row-major). Out: the NNGP.</summary>
    public ArrayView<T> Nngp;
    /// <summary>Out: the NTK of the panel (unused when <see cref="WithNtk"/> is 0).</summary>
    public ArrayView<T> Ntk;
    /// <summary>The program: code and variance slot per op.</summary>
    public ArrayView<int> Codes;
    /// <summary>The program: four parameters per op.</summary>
    public ArrayView<T> Params;
    /// <summary>Variances of x1's points per slot, <c>[slot · N1 + i]</c>.</summary>
    public ArrayView<T> Trace1;
    /// <summary>Variances of x2's points per slot, <c>[slot · N2 + j]</c>.</summary>
    public ArrayView<T> Trace2;
    /// <summary>Exact diagonal (NNGP, NTK) for symmetric kernels.</summary>
    public ArrayView<T> DiagNngp, DiagNtk;
    /// <summary>Bad[0] becomes 1 at the first non-finite entry, Bad[1], Bad[2] its row and column.</summary>
    public ArrayView<int> Bad;
    public int Ops, N1, N2, Row0, Symmetric, WithNtk;
}

/// <summary>The per-entry layer recursion of fully connected kernels, one thread per kernel entry.</summary>
internal static class FlatKernels
{
    /// <summary>
    /// Entry e of the panel: pair (Row0 + e / N2, e % N2). Runs every op of the program on the pair's NNGP (starting
    /// from the Gram entry) and NTK (starting from zero); on the diagonal of a symmetric kernel writes the exact limit.
    /// </summary>
    public static void Recursion<T, P>(Index1D e, FlatPanelArgs<T> a) where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
    {
        int i = a.Row0 + e / a.N2, j = e % a.N2;
        T k = a.Nngp[e], t = T.Zero;
        if (a.Symmetric != 0 && i == j)
        {
            k = a.DiagNngp[i];
            t = a.DiagNtk[i];
        }
        else
        {
            for (int op = 0; op < a.Ops; op++)
            {
                int slot = a.Codes[2 * op + 1];
                T v1 = T.Zero, v2 = T.Zero;
                if (slot >= 0) { v1 = a.Trace1[slot * a.N1 + i]; v2 = a.Trace2[slot * a.N2 + j]; }
                FlatOps.Apply<T, P>(a.Codes[2 * op], a.Params[4 * op], a.Params[4 * op + 1], a.Params[4 * op + 2], a.Params[4 * op + 3], v1, v2, ref k, ref t);
            }
        }
        if (!DeviceMath.IsFinite(k) || a.WithNtk != 0 && !DeviceMath.IsFinite(t))
        {
            if (Atomic.CompareExchange(ref a.Bad[0], 0, 1) == 0) { a.Bad[1] = i; a.Bad[2] = j; }
        }
        a.Nngp[e] = k;
        if (a.WithNtk != 0) a.Ntk[e] = t;
    }
}
