using Lab.Runtime.Containers;
using Lab.Runtime.Machines;
using Lab.Runtime.Volumes;

namespace Lab.Engine.Api;

/// <summary>The volumes of <c>docker system df</c>: dockerd's volume objects with UsageData — the bytes under the
/// volume's data directory on the machine's disk, and how many containers (running or not) mount it.</summary>
public sealed class SystemDfVolumes(ContainerHost containers, IMachineHost machines) : IVolumeDiskUsage
{
    public Task<IReadOnlyList<object>> VolumesOfAsync(string machine, CancellationToken ct)
    {
        var info = machines.Find(machine);
        IReadOnlyList<object> volumes = containers.Volumes.List(machine).Select(volume =>
        {
            var view = VolumesView.Of(volume);
            view["UsageData"] = new Dictionary<string, object>
            {
                ["Size"] = SystemDfSizes.TreeSize(info, VolumePaths.DataDir(volume.Name)),
                ["RefCount"] = containers.Volumes.UsersOf(machine, volume.Name).Count,
            };
            return (object)view;
        }).ToList();
        return Task.FromResult(volumes);
    }
}
