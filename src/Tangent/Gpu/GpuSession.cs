using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Tangent.Gpu.Native;
using Budget = Tangent.Kernels.MemoryBudget;

namespace Tangent.Gpu;

/// <summary>
/// One ILGPU accelerator with what runs on it: the compiled kernels (compiled once per session and precision), cuBLAS
/// when the accelerator is a CUDA GPU and the library is installed, and a lock, since a computation owns the device's
/// streams while it runs. The CUDA session is created on first use and shared; tests create CPU-accelerator sessions
/// (ILGPU's CPU accelerator runs the same kernels, compiled through the same front end, on CPU threads).
/// </summary>
internal sealed class GpuSession : IDisposable
{
    private static readonly Lazy<GpuSession> s_cuda = new(CreateCuda, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Dictionary<Type, object> _kernels = [];
    private CuBlas? _cublas;

    /// <summary>Serialises computations on this accelerator.</summary>
    public object Gate { get; } = new();
    public Context Context { get; }
    public Accelerator Accelerator { get; }
    /// <summary>True for a CUDA GPU, false for ILGPU's CPU accelerator.</summary>
    public bool IsCuda { get; }
    /// <summary>What runs the dense algebra: cuBLAS (with its path) or the ILGPU fallback, with the reason.</summary>
    public string BlasDescription { get; }

    private GpuSession(Context context, Accelerator accelerator, bool isCuda)
    {
        Context = context;
        Accelerator = accelerator;
        IsCuda = isCuda;
        if (isCuda)
        {
            accelerator.Bind();
            _cublas = CuBlas.TryCreate(out var reason);
            BlasDescription = _cublas is null ? $"ILGPU GEMM ({reason})" : $"cuBLAS ({_cublas.Path})";
        }
        else BlasDescription = "ILGPU GEMM (CPU accelerator)";
    }

    /// <summary>
    /// The shared session on the first CUDA GPU. With <c>TANGENT_GPU=cpu-simulator</c> it is ILGPU's CPU accelerator
    /// instead, so the device code path of the command line can be exercised on a machine without a GPU.
    /// </summary>
    /// <exception cref="GpuUnavailableException">No driver, no GPU, or the GPU did not start; the message says which.</exception>
    public static GpuSession Cuda
    {
        get
        {
            try { return s_cuda.Value; }
            catch (GpuUnavailableException) { throw; }
            catch (Exception e) { throw new GpuUnavailableException($"--device cuda: the CUDA device did not start: {e.Message}", e); }
        }
    }

    private static GpuSession CreateCuda()
    {
        if (Environment.GetEnvironmentVariable("TANGENT_GPU") == "cpu-simulator") return CreateCpuSimulator();
        if (!NativeLibrary.TryLoad("libcuda.so.1", out _) && !NativeLibrary.TryLoad("libcuda.so", out _) && !NativeLibrary.TryLoad("nvcuda.dll", out _))
            throw new GpuUnavailableException("--device cuda: no CUDA driver (libcuda.so.1 not found): this machine has no NVIDIA GPU or its driver is not installed; use --device cpu");
        Context context;
        try { context = Context.Create(b => b.Cuda().Optimize(OptimizationLevel.O2)); }
        catch (Exception e) { throw new GpuUnavailableException($"--device cuda: the CUDA driver did not start ({e.Message}); use --device cpu", e); }
        if (context.GetCudaDevices().Count == 0)
        {
            context.Dispose();
            throw new GpuUnavailableException("--device cuda: the CUDA driver reports no GPU; use --device cpu");
        }
        try { return new GpuSession(context, context.CreateCudaAccelerator(0), isCuda: true); }
        catch (Exception e)
        {
            context.Dispose();
            throw new GpuUnavailableException($"--device cuda: the GPU did not start ({e.Message}); use --device cpu", e);
        }
    }

    /// <summary>
    /// A session on ILGPU's CPU accelerator with <paramref name="threadsPerWarp"/> x <paramref name="warps"/> threads per
    /// group on <paramref name="processors"/> simulated multiprocessors (small, so tests stay fast on two cores).
    /// </summary>
    public static GpuSession CreateCpuSimulator(int threadsPerWarp = 4, int warps = 4, int processors = 2)
    {
        var device = new CPUDevice(threadsPerWarp, warps, processors);
        var context = Context.Create(b => b.CPU(device));
        return new GpuSession(context, device.CreateAccelerator(context), isCuda: false);
    }

    /// <summary>A one-line description: the device, its memory and the dense-algebra path.</summary>
    public string Describe() =>
        $"{Accelerator.Name} ({Accelerator.AcceleratorType}, {Budget.Format(Accelerator.MemorySize)}), dense algebra: {BlasDescription}";

    /// <summary>Device memory that may be used now: the CUDA free memory, or for the CPU accelerator the process's available memory.</summary>
    public long FreeMemory => Accelerator is CudaAccelerator cuda ? cuda.GetFreeMemory() : Budget.AvailableBytes();

    /// <summary>The kernels of precision T (policy P), compiled on first use.</summary>
    public KernelSet<T, P> Kernels<T, P>() where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
    {
        lock (_kernels)
        {
            if (!_kernels.TryGetValue(typeof(T), out var set)) _kernels[typeof(T)] = set = new KernelSet<T, P>(Accelerator);
            return (KernelSet<T, P>)set;
        }
    }

    /// <summary>Row-major C (m x n) = alpha · A · Bᵀ on <paramref name="stream"/>, through cuBLAS when present, else the ILGPU kernel.</summary>
    public void GemmNT<T, P>(AcceleratorStream stream, int m, int n, int k, T alpha, ArrayView<T> a, int lda, ArrayView<T> b, int ldb, ArrayView<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
    {
        if (m == 0 || n == 0) return;
        if (_cublas is not null && stream is CudaStream cs)
        {
            _cublas.GemmNT(cs.StreamPtr, m, n, k, alpha, Pointer(a), lda, Pointer(b), ldb, Pointer(c), ldc);
            return;
        }
        var args = new GemmArgs<T> { A = a, B = b, C = c, M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc, Alpha = alpha };
        Kernels<T, P>().Gemm(stream, DeviceGemm.Threads(m, n), args);
    }

    /// <summary>The device address of a view's first element (for the CUDA libraries).</summary>
    public static IntPtr Pointer<T>(ArrayView<T> view) where T : unmanaged
    {
        IContiguousArrayView contiguous = view;
        return contiguous.Buffer.NativePtr + (nint)contiguous.IndexInBytes;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _cublas?.Dispose();
        _cublas = null;
        Accelerator.Dispose();
        Context.Dispose();
    }
}

/// <summary>
/// Every kernel of one precision, each compiled (to PTX on CUDA) on first use and then kept: compiling takes a
/// fraction of a second per kernel, so a flat computation does not pay for the image kernels.
/// </summary>
internal sealed class KernelSet<T, P>(Accelerator acc) where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
{
    private Action<AcceleratorStream, Index1D, FlatPanelArgs<T>>? _recursion;
    private Action<AcceleratorStream, Index1D, GemmArgs<T>>? _gemm;
    private Action<AcceleratorStream, Index1D, ImageBatchArgs<T>>? _init;
    private Action<AcceleratorStream, Index1D, ImageBatchArgs<T>, ConvArgs<T>>? _convGrid, _convZip;
    private Action<AcceleratorStream, Index1D, ImageBatchArgs<T>, int, int>? _elementwise;
    private Action<AcceleratorStream, Index1D, ImageBatchArgs<T>, int>? _record;
    private Action<AcceleratorStream, Index1D, ImageBatchArgs<T>, TailArgs<T>>? _rowSums, _pool;

    public Action<AcceleratorStream, Index1D, FlatPanelArgs<T>> Recursion => _recursion ??= acc.LoadAutoGroupedKernel<Index1D, FlatPanelArgs<T>>(FlatKernels.Recursion<T, P>);
    public Action<AcceleratorStream, Index1D, GemmArgs<T>> Gemm => _gemm ??= acc.LoadAutoGroupedKernel<Index1D, GemmArgs<T>>(DeviceGemm.GemmNT);
    public Action<AcceleratorStream, Index1D, ImageBatchArgs<T>> Init => _init ??= acc.LoadAutoGroupedKernel<Index1D, ImageBatchArgs<T>>(ImageKernels.Init);
    public Action<AcceleratorStream, Index1D, ImageBatchArgs<T>, ConvArgs<T>> ConvGrid => _convGrid ??= acc.LoadAutoGroupedKernel<Index1D, ImageBatchArgs<T>, ConvArgs<T>>(ImageKernels.ConvGrid<T, P>);
    public Action<AcceleratorStream, Index1D, ImageBatchArgs<T>, ConvArgs<T>> ConvZip => _convZip ??= acc.LoadAutoGroupedKernel<Index1D, ImageBatchArgs<T>, ConvArgs<T>>(ImageKernels.ConvZip<T, P>);
    public Action<AcceleratorStream, Index1D, ImageBatchArgs<T>, int, int> Elementwise => _elementwise ??= acc.LoadAutoGroupedKernel<Index1D, ImageBatchArgs<T>, int, int>(ImageKernels.Elementwise<T, P>);
    public Action<AcceleratorStream, Index1D, ImageBatchArgs<T>, int> Record => _record ??= acc.LoadAutoGroupedKernel<Index1D, ImageBatchArgs<T>, int>(ImageKernels.Record);
    public Action<AcceleratorStream, Index1D, ImageBatchArgs<T>, TailArgs<T>> RowSums => _rowSums ??= acc.LoadAutoGroupedKernel<Index1D, ImageBatchArgs<T>, TailArgs<T>>(ImageKernels.RowSums);
    public Action<AcceleratorStream, Index1D, ImageBatchArgs<T>, TailArgs<T>> Pool => _pool ??= acc.LoadAutoGroupedKernel<Index1D, ImageBatchArgs<T>, TailArgs<T>>(ImageKernels.Pool<T, P>);
}
