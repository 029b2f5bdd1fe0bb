using System.Text;
using Lab.Engine.Hosting;
using Lab.Runtime;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Machines;
using Lab.Testing;

namespace Lab.Engine.Tests.Api;

/// <summary>As a student types it: the docker CLI inside a real lab machine (Debian, production caller resolver)
/// binds the machine's own directories and socket, and sees its volumes' data under /var/lib/lab/volumes.</summary>
public sealed class VolumeInsideMachineTests : IAsyncLifetime
{
    string _root = "";
    MachineHost _machines = null!;
    ContainerHost _containers = null!;
    EngineService _engine = null!;
    string _machine = "";

    public async Task InitializeAsync()
    {
        StaleTestState.EnsureSwept();
        _root = Directory.CreateTempSubdirectory(StaleTestState.OwnPrefix + "engine-vol-").FullName;
        var runtime = new RuntimeOptions
        {
            DataDir = _root,
            ImageStoreDir = TestImages.StoreDir,
            CgroupParent = $"{StaleTestState.OwnPrefix}{Guid.NewGuid():N}"[..32],
        };
        _machines = new MachineHost(runtime, TestImages.LabMachine);
        _containers = new ContainerHost(_machines, new ImageStore(runtime.ImagesDir));
        _engine = new EngineService(runtime, _machines, _containers);
        await _engine.StartAsync(CancellationToken.None);
        _machine = $"v-{Environment.ProcessId % 10000}-{Guid.NewGuid().ToString("N")[..6]}";
        await _machines.StartAsync(_machine);
        var manifest = await RecipeImageConverter.ToOciImageAsync(TestImages.Recipe("busybox"), new ContainerConfig
        {
            Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            Cmd = ["sh"],
        }, _containers.Images.Content);
        await _containers.Images.Names(_machine).TagAsync(Reference.Parse("busybox"), manifest);
    }

    public async Task DisposeAsync()
    {
        await _engine.StopAsync(CancellationToken.None);
        await _engine.DisposeAsync();
        foreach (var m in _machines.List()) await _machines.RemoveAsync(m.Name);
        File.Delete(Path.Combine(_containers.Images.Root, "names", _machine + ".json"));
        _containers.Dispose();
        _machines.Cgroups.RemoveParent();
        _machines.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    async Task<(int Code, string Out, string Err)> Shell(string script)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var code = await _machines.ExecAsync(_machine, ["bash", "-c", script], stdout, stderr);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Fact]
    public async Task A_student_binds_a_folder_of_their_machine_and_reads_a_volume_from_their_shell()
    {
        var site = await Shell("mkdir -p /root/site && echo bonjour > /root/site/index.html && " +
            "docker run --rm -v /root/site:/usr/share/site:ro busybox cat /usr/share/site/index.html");
        var volume = await Shell("docker volume create notes >/dev/null && " +
            "docker run --rm -v notes:/n busybox sh -c 'echo note > /n/f' && " +
            "cat $(docker volume inspect -f '{{.Mountpoint}}' notes)/f");
        var socket = await Shell("docker run --rm -v /var/run/docker.sock:/var/run/docker.sock busybox ls -l /var/run/docker.sock");

        Assert.True(site.Code == 0, site.Err);
        Assert.Equal("bonjour\n", site.Out);
        Assert.True(volume.Code == 0, volume.Err);
        Assert.Equal("note\n", volume.Out);
        Assert.True(socket.Code == 0, socket.Err);
        Assert.StartsWith("s", socket.Out);
    }
}
