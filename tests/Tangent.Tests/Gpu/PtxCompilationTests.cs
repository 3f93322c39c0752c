using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Tangent.Gpu;

namespace Tangent.Tests.Gpu;

/// <summary>
/// Every device kernel compiles to PTX for the H200 (sm_90) in both precisions, with no GPU present: ILGPU's CUDA
/// backend accepts a larger subset of .NET than the CPU accelerator checks, so this is what catches device code that
/// would only fail on the GPU machine.
/// </summary>
public class PtxCompilationTests
{
    public static IEnumerable<object[]> Kernels()
    {
        foreach (var (type, name) in new[] { (typeof(FlatKernels), nameof(FlatKernels.Recursion)), (typeof(ImageKernels), nameof(ImageKernels.ConvGrid)),
                     (typeof(ImageKernels), nameof(ImageKernels.ConvZip)), (typeof(ImageKernels), nameof(ImageKernels.Elementwise)), (typeof(ImageKernels), nameof(ImageKernels.Pool)) })
        {
            yield return [type, name, typeof(double), typeof(F64)];
            yield return [type, name, typeof(float), typeof(F32)];
        }
        foreach (var (type, name) in new[] { (typeof(DeviceGemm), nameof(DeviceGemm.GemmNT)), (typeof(ImageKernels), nameof(ImageKernels.Init)),
                     (typeof(ImageKernels), nameof(ImageKernels.Record)), (typeof(ImageKernels), nameof(ImageKernels.RowSums)) })
        {
            yield return [type, name, typeof(double), null!];
            yield return [type, name, typeof(float), null!];
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void CompilesToPtxForSm90(Type type, string name, Type element, Type? precision)
    {
        using var context = Context.Create(b => b.Optimize(OptimizationLevel.O2));
        var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!);
        var generic = type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;
        var method = precision is null ? generic.MakeGenericMethod(element) : generic.MakeGenericMethod(element, precision);
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(method), KernelSpecialization.Empty);
        Assert.Contains(".entry", compiled.PTXAssembly);
        Assert.Contains(element == typeof(double) ? ".f64" : ".f32", compiled.PTXAssembly);
        // No call into a library function the driver would have to resolve (libdevice is not linked).
        Assert.DoesNotContain("__nv_", compiled.PTXAssembly);
    }
}
