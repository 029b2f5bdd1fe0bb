using Lab.Engine.Tests.Support;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Tests.Api;

/// <summary>docker-py (Debian's python3-docker) as a student's script would use it, inside a real lab machine:
/// the low-level APIClient step by step, then the high-level DockerClient. Pulls come from the classroom
/// registry, which serves the busybox test image under a library name of this test's own.</summary>
public sealed class DockerPyTests : IAsyncLifetime
{
    LibraryRegistryMachine _machine = null!;

    string _name => _machine.Name;
    EngineTestServer _server => _machine.Server;

    public async Task InitializeAsync() => _machine = await LibraryRegistryMachine.StartAsync("py");

    public async Task DisposeAsync() => await _machine.DisposeAsync();

    async Task<string[]> RunAsync(string script)
    {
        var result = await Python.RunAsync(script.Replace("SOCKET", _server.SocketPath).Replace("IMAGE", _name));
        Assert.True(result.ExitCode == 0, $"python exited {result.ExitCode}\nstdout: {result.Stdout}\nstderr: {result.Stderr}");
        return result.Stdout.TrimEnd('\n').Split('\n');
    }

    [Fact]
    public async Task Low_level_client_pulls_creates_starts_inspects_logs_stops_and_removes()
    {
        var lines = await RunAsync("""
            import docker
            api = docker.APIClient(base_url='unix://SOCKET', version='auto')
            # 1. pull the image, following the progress stream
            statuses = [p.get('status', '') for p in api.pull('IMAGE', tag='latest', stream=True, decode=True)]
            print('pulled', any(s.startswith('Status: Downloaded newer image') for s in statuses))
            print('image', api.inspect_image('IMAGE')['RepoTags'])
            # 2. create a container with an environment, a working dir and a label
            c = api.create_container('IMAGE', command=['sh', '-c', 'echo hello $WHO from $(pwd); sleep 30'],
                                     environment={'WHO': 'python'}, working_dir='/tmp', labels={'course': 'docker'},
                                     name='tutorial', host_config=api.create_host_config(network_mode='none'))
            print('warnings', c['Warnings'])
            print('created', api.inspect_container(c['Id'])['State']['Status'])
            # 3. start it and look at it
            api.start(c)
            info = api.inspect_container('tutorial')
            print('state', info['State']['Status'], info['State']['Running'], info['Name'])
            print('config', info['Config']['WorkingDir'], 'WHO=python' in info['Config']['Env'], info['Config']['Labels'])
            print('listed', [x['Names'] for x in api.containers(filters={'label': 'course=docker'})])
            # 4. its logs, once they are there
            import time
            for _ in range(50):
                logs = api.logs('tutorial', stdout=True, stderr=True)
                if logs: break
                time.sleep(0.1)
            print('logs', logs.decode().strip())
            # 5. stop, check the exit, remove
            api.stop('tutorial', timeout=1)
            state = api.inspect_container('tutorial')['State']
            print('stopped', state['Status'], state['ExitCode'])
            api.remove_container('tutorial')
            print('left', api.containers(all=True))
            try:
                api.inspect_container('tutorial')
            except docker.errors.NotFound as e:
                print('gone', e.status_code)
            """);
        Assert.Equal(
        [
            "pulled True",
            $"image ['{_name}:latest']",
            "warnings []",
            "created created",
            "state running True /tutorial",
            "config /tmp True {'course': 'docker'}",
            "listed [['/tutorial']]",
            "logs hello python from /tmp",
            "stopped exited 137",
            "left []",
            "gone 404",
        ], lines);
    }

    [Fact]
    public async Task High_level_client_runs_containers_and_manages_images_volumes_and_networks()
    {
        var lines = await RunAsync("""
            import docker
            client = docker.DockerClient(base_url='unix://SOCKET', version='auto')
            image = client.images.pull('IMAGE', tag='latest')
            print('pulled', image.tags, image.id == client.images.get('IMAGE').id)
            print('listed', 'IMAGE:latest' in [t for i in client.images.list() for t in i.tags])
            # run attached: the output comes back as bytes
            print('run', client.containers.run('IMAGE', ['echo', 'bonjour'], remove=True, network_mode='none').decode().strip())
            # a volume shared by two containers
            vol = client.volumes.create('notes', labels={'course': 'docker'})
            print('volume', vol.name, vol.attrs['Driver'], [v.name for v in client.volumes.list(filters={'label': 'course'})])
            client.containers.run('IMAGE', ['sh', '-c', 'echo kept > /notes/n.txt'], volumes={'notes': {'bind': '/notes', 'mode': 'rw'}},
                                  remove=True, network_mode='none')
            print('read', client.containers.run('IMAGE', ['cat', '/notes/n.txt'], volumes=['notes:/notes:ro'],
                                                remove=True, network_mode='none').decode().strip())
            # a detached container on a network of its own
            net = client.networks.create('classroom', driver='bridge')
            print('network', net.name, client.networks.get('classroom').attrs['Driver'])
            box = client.containers.run('IMAGE', ['sleep', '30'], detach=True, name='box', network='classroom')
            box = client.containers.get('box')
            print('box', box.status, box.name, list(box.attrs['NetworkSettings']['Networks']))
            print('exec', box.exec_run(['sh', '-c', 'echo $((6*7))']).output.decode().strip())
            print('running', [c.name for c in client.containers.list()])
            box.stop(timeout=1)
            box.reload()
            print('stopped', box.status, [c.name for c in client.containers.list(all=True, filters={'status': 'exited'})])
            box.remove()
            net.remove()
            vol.remove()
            print('clean', client.containers.list(all=True), [n.name for n in client.networks.list(names=['classroom'])],
                  [v.name for v in client.volumes.list()])
            client.images.remove('IMAGE')
            try:
                client.images.get('IMAGE')
            except docker.errors.ImageNotFound:
                print('image removed')
            """);
        Assert.Equal(
        [
            $"pulled ['{_name}:latest'] True",
            "listed True",
            "run bonjour",
            "volume notes local ['notes']",
            "read kept",
            "network classroom bridge",
            "box running box ['classroom']",
            "exec 42",
            "running ['box']",
            "stopped exited ['box']",
            "clean [] [] []",
            "image removed",
        ], lines);
    }
}
