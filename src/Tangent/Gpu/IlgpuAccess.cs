// ILGPU's CPU accelerator emits its launchers into a dynamic assembly named ILGPURuntime; the kernels' argument structs
// are internal (they are not API), so that assembly must see them.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("ILGPURuntime")]
