using Lab.Runtime.Images;
using Lab.Runtime.Terminals;

namespace Lab.Runtime.Machines;

/// <summary>The runtime's entry point: creates, starts, stops and removes lab machines.
/// (Implementation lands with the runtime work; this is the contract other layers build against.)</summary>
public sealed partial class MachineHost(RuntimeOptions options, IBaseImage image) : IMachineHost, IDisposable
{
    public RuntimeOptions Options { get; } = options;
    public IBaseImage Image { get; } = image;
}
