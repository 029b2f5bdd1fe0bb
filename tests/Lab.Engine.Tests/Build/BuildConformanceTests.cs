using System.Diagnostics;
using System.Formats.Tar;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Build;

/// <summary>The same Dockerfile and context built by Debian's dockerd (classic builder) and by Lab, from the same
/// busybox root filesystem: the image configs, the history lines (checksums masked) and the files the build
/// made must be the same.</summary>
public sealed class BuildConformanceTests : IAsyncLifetime
{
    const string Dockerfile = """
        FROM busybox
        LABEL maintainer="lab" version=1.0
        ENV APP_HOME=/app PORT=5000
        ARG GREETING=hello
        WORKDIR $APP_HOME
        COPY --chown=1000:1000 src/ ./src/
        COPY *.txt ./
        ADD archive.tar ./unpacked/
        RUN echo "$GREETING" > greeting && mkdir -p /data && chmod 750 /data
        EXPOSE 5000 53/udp
        VOLUME /data
        USER 1000
        STOPSIGNAL SIGTERM
        HEALTHCHECK --interval=30s --timeout=3s CMD wget -q -O- http://localhost:5000/ || exit 1
        ENTRYPOINT ["sh", "-c"]
        CMD ["echo $PORT"]
        ONBUILD RUN echo triggered
        SHELL ["/bin/sh", "-ec"]
        """;

    EngineTestServer _server = null!;
    PrivateDockerd _dockerd = null!;
    string _dir = "";

    public async Task InitializeAsync()
    {
        _server = await EngineTestServer.StartAsync(sharedImageStore: true);
        await _server.StartMachineAsync();
        _dockerd = await PrivateDockerd.StartAsync();
        var rootfs = await TestImages.Busybox.EnsureBuiltAsync();
        var tar = Process.Start(new ProcessStartInfo("tar", ["-C", rootfs, "--numeric-owner", "-c", "."]) { RedirectStandardOutput = true })!;
        var imported = await _dockerd.RunAsync(["import", "-c", "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "-c", "CMD [\"sh\"]", "-", "busybox"], stdin: tar.StandardOutput.BaseStream);
        await tar.WaitForExitAsync();
        Assert.True(imported.ExitCode == 0, imported.Output);

        _dir = Directory.CreateDirectory(Path.Combine(_server.Root, "ctx")).FullName;
        File.WriteAllText(Path.Combine(_dir, "Dockerfile"), Dockerfile);
        Directory.CreateDirectory(Path.Combine(_dir, "src", "lib"));
        File.WriteAllText(Path.Combine(_dir, "src", "main.py"), "print('hi')\n");
        File.WriteAllText(Path.Combine(_dir, "src", "lib", "util.py"), "X = 1\n");
        File.SetUnixFileMode(Path.Combine(_dir, "src", "main.py"), (UnixFileMode)0x1ED);
        File.WriteAllText(Path.Combine(_dir, "a.txt"), "a\n");
        File.WriteAllText(Path.Combine(_dir, "b.txt"), "b\n");
        await using (var archive = File.Create(Path.Combine(_dir, "archive.tar")))
        await using (var writer = new TarWriter(archive, TarEntryFormat.Pax))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "pkg/") { Mode = (UnixFileMode)0x1ED, Uid = 42, Gid = 43 });
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "pkg/data.bin")
            {
                Mode = (UnixFileMode)0x180, Uid = 42, Gid = 43, DataStream = new MemoryStream([1, 2, 3]),
            });
        }
    }

    public async Task DisposeAsync()
    {
        await _dockerd.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Lab_and_dockerd_make_the_same_image_from_the_same_Dockerfile()
    {
        var reference = await _dockerd.RunAsync(["build", "--network", "none", "-t", "conf", _dir]);
        Assert.True(reference.ExitCode == 0, reference.Output);
        (await DockerCli.Cli28.RunAsync(_server, "build", "--network", "none", "-t", "conf", _dir)).Succeeded();

        foreach (var field in new[] { "User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir", "Labels",
                     "StopSignal", "Healthcheck", "OnBuild", "Shell" })
        {
            var format = $"{{{{json .Config.{field}}}}}";
            var expected = await Dockerd("image", "inspect", "-f", format, "conf");
            var actual = await Lab("image", "inspect", "-f", format, "conf");
            Assert.True(Same(expected, actual), $"Config.{field}: dockerd {expected} vs lab {actual}");
        }

        var historyFormat = new[] { "history", "--no-trunc", "--format", "{{.CreatedBy}}", "conf" };
        // The steps the build added (newest first); the base images' own histories differ (import vs recipe).
        var steps = Dockerfile.Split('\n').Length - 1;
        Assert.Equal(Masked(await Dockerd(historyFormat), steps), Masked(await Lab(historyFormat), steps));

        var files = new[] { "run", "--rm", "--network", "none", "--user", "0", "conf",
            "find /app /data | sort | xargs stat -c '%n %a %u %g %s %F'" };
        var tree = await Lab(files);
        Assert.Contains("/app/src/main.py 755 1000 1000 12 regular file", tree);
        Assert.Contains("/app/unpacked/pkg/data.bin 600 42 43 3 regular file", tree);
        Assert.Equal(await Dockerd(files), tree);
    }

    async Task<string> Dockerd(params string[] args)
    {
        var result = await _dockerd.RunAsync(args);
        Assert.True(result.ExitCode == 0, $"dockerd: {string.Join(' ', args)}: {result.Output}");
        return result.Stdout.Trim();
    }

    async Task<string> Lab(params string[] args) =>
        (await DockerCli.Cli28.RunAsync(_server, args)).Succeeded().Stdout.Trim();

    /// <summary>null, {} and [] all mean "not set" in an inspect template's JSON.</summary>
    static bool Same(string expected, string actual)
    {
        static string Normal(string json) => json is "null" or "{}" or "[]" or "" ? "null"
            : JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
        return Normal(expected) == Normal(actual);
    }

    static string Masked(string history, int steps) => string.Join('\n', history.Split('\n').Take(steps)
        .Select(line => Regex.Replace(line, "(file|dir|multi):[0-9a-f]{64}", "$1:<sum>")));
}
