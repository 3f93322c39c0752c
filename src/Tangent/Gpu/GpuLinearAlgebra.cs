using System.Diagnostics;
using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Tangent.Gpu.Native;
using Tangent.Linalg;

namespace Tangent.Gpu;

/// <summary>
/// Dense algebra on the device with the conventions of <see cref="ILinearAlgebraBackend"/> (row-major): the symmetric
/// eigendecomposition through cuSOLVER's divide-and-conquer <c>syevd</c>, and the GEMM behind Gram matrices and
/// empirical-NTK products (J·Jᵀ) through cuBLAS, or ILGPU's kernel where cuBLAS is missing.
/// </summary>
public static class GpuLinearAlgebra
{
    /// <summary>
    /// A = V diag(w) Vᵀ for the symmetric n x n <paramref name="a"/> (only its upper triangle is read): eigenvalues into
    /// <paramref name="w"/> ascending, eigenvectors over <paramref name="a"/> as COLUMNS (<c>a[i·n + k]</c> is component i
    /// of eigenvector k), exactly as <see cref="ILinearAlgebraBackend.SymmetricEigen"/>.
    /// </summary>
    /// <exception cref="GpuUnavailableException">No usable GPU, or cuSOLVER is not installed.</exception>
    /// <exception cref="ArgumentException">The upper triangle holds NaN or infinity.</exception>
    public static void SymmetricEigen(int n, double[] a, double[] w, Device device = Device.Cuda)
    {
        if (device == Device.Cpu) { LinearAlgebra.Current.SymmetricEigen(n, a, w); return; }
        SymmetricEigen(GpuSession.Cuda, n, a, w);
    }

    /// <summary>Row-major C = A·Bᵀ (A m x k, B n x k) on <paramref name="device"/>; with <paramref name="b"/> null, A·Aᵀ.</summary>
    /// <exception cref="GpuUnavailableException">No usable GPU.</exception>
    public static Matrix<T> GemmNT<T>(Matrix<T> a, Matrix<T>? b = null, Device device = Device.Cuda) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (device == Device.Cpu)
        {
            var y = b ?? a;
            var c = new Matrix<T>(a.Rows, y.Rows);
            LinearAlgebra.Current.GemmNT(a.Rows, y.Rows, a.Cols, T.One, a.Data, y.Data, T.Zero, c.Data);
            return c;
        }
        return GemmNT(GpuSession.Cuda, a, b);
    }

    internal static Matrix<T> GemmNT<T>(GpuSession session, Matrix<T> a, Matrix<T>? b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = b ?? a;
        if (y.Cols != a.Cols) throw new ArgumentException($"A has {a.Cols} columns but B has {y.Cols}");
        var c = new Matrix<T>(a.Rows, y.Rows);
        lock (session.Gate)
        {
            session.Accelerator.Bind();
            using var buffers = new DeviceBuffers(session.Accelerator);
            var da = buffers.Upload(a.Data);
            var db = b is null ? da : buffers.Upload(y.Data);
            var dc = buffers.Allocate<T>(c.Data.Length);
            var stream = session.Accelerator.DefaultStream;
            if (typeof(T) == typeof(double))
                session.GemmNT<double, F64>(stream, a.Rows, y.Rows, a.Cols, 1.0, Cast<T, double>(da), a.Cols, Cast<T, double>(db), y.Cols, Cast<T, double>(dc), y.Rows);
            else
                session.GemmNT<float, F32>(stream, a.Rows, y.Rows, a.Cols, 1f, Cast<T, float>(da), a.Cols, Cast<T, float>(db), y.Cols, Cast<T, float>(dc), y.Rows);
            stream.Synchronize();
            if (c.Data.Length > 0) dc.SubView(0, c.Data.Length).CopyToCPU(c.Data);
        }
        return c;
    }

    private static ArrayView<TTo> Cast<TFrom, TTo>(ArrayView<TFrom> v) where TFrom : unmanaged where TTo : unmanaged => v.Cast<TTo>();

    /// <summary>
    /// The eigendecomposition on <paramref name="session"/>; returns the seconds spent in cuSOLVER alone (the matrix
    /// already on the device), for the benchmark. A session without CUDA (the CPU accelerator) uses the CPU backend.
    /// </summary>
    internal static double SymmetricEigen(GpuSession session, int n, double[] a, double[] w)
    {
        if (a.Length < (long)n * n || w.Length < n) throw new ArgumentException("a must hold n x n values and w n values");
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
                if (!double.IsFinite(a[i * n + j])) throw new ArgumentException($"the matrix holds a non-finite value at ({i}, {j})");
        if (!session.IsCuda)
        {
            var clock = Stopwatch.StartNew();
            LinearAlgebra.Current.SymmetricEigen(n, a, w);
            return clock.Elapsed.TotalSeconds;
        }
        double seconds;
        lock (session.Gate)
        {
            session.Accelerator.Bind();
            using var solver = CuSolver.TryCreate(out var reason) ?? throw new GpuUnavailableException($"--device cuda: the eigendecomposition needs cuSOLVER: {reason}");
            using var buffers = new DeviceBuffers(session.Accelerator);
            var da = buffers.Upload(a);
            var dw = buffers.Allocate<double>(n);
            var info = buffers.Allocate<int>(1);
            var stream = (CudaStream)session.Accelerator.DefaultStream;
            int lwork = solver.DsyevdWorkspace(stream.StreamPtr, n, GpuSession.Pointer(da), GpuSession.Pointer(dw));
            var work = buffers.Allocate<double>(lwork);
            stream.Synchronize();
            var clock = Stopwatch.StartNew();
            solver.Dsyevd(stream.StreamPtr, n, GpuSession.Pointer(da), GpuSession.Pointer(dw), GpuSession.Pointer(work), lwork, GpuSession.Pointer(info));
            stream.Synchronize();
            seconds = clock.Elapsed.TotalSeconds;
            var status = new int[1];
            info.CopyToCPU(status);
            if (status[0] != 0) throw new InvalidOperationException($"cuSOLVER syevd failed to converge (info {status[0]})");
            da.SubView(0, (long)n * n).CopyToCPU(a.AsSpan(0, n * n));
            dw.SubView(0, n).CopyToCPU(w.AsSpan(0, n));
        }
        // cuSOLVER's column-major columns are the rows of this row-major buffer: transpose to make them columns.
        var m = new Matrix<double>(n, n, a.Length == n * n ? a : a[..(n * n)]).Transpose();
        m.Data.AsSpan().CopyTo(a);
        return seconds;
    }
}
