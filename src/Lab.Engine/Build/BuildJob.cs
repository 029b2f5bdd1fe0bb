using Lab.Engine.Build.Context;
using Lab.Engine.Images;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Build;

/// <summary>Everything one build works with: the caller's machine and its images, the runtime that runs its RUN
/// steps, the unpacked context, the options, the output stream and the machine's cache.</summary>
public sealed record BuildJob(
    string Machine,
    BuildOptions Options,
    BuildPlan Plan,
    BuildContext Context,
    BuildOutput Output,
    MachineImages Images,
    ContainerHost Containers,
    BuildCache Cache,
    PullSource Pulls,
    string WorkDir)
{
    public ImageStore Store => Containers.Images;
}
