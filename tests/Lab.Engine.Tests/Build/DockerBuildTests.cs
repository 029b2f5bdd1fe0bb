using Lab.Engine.Tests.Support;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Tests.Build;

/// <summary><c>docker build</c> with the real CLIs against the classic builder, in a real busybox lab machine:
/// the step output, RUN in a container, COPY from the context, the cache, multi-stage, build args,
/// .dockerignore, and the errors.</summary>
public sealed class DockerBuildTests : IAsyncLifetime
{
    EngineTestServer _server = null!;
    string _dir = "";

    public async Task InitializeAsync()
    {
        _server = await EngineTestServer.StartAsync(sharedImageStore: true);
        await _server.StartMachineAsync();
        _dir = Directory.CreateDirectory(Path.Combine(_server.Root, "ctx")).FullName;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    Task<CliResult> Docker(string cli, params string[] args) => DockerCli.Named(cli).RunAsync(_server, args);

    void Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Build_runs_each_step_and_tags_the_image(string cli)
    {
        Write("Dockerfile", "FROM busybox\n# a comment\nENV GREETING=hello \\\n    WHO=world\nCOPY msg.txt /app/\nRUN echo \"$GREETING $WHO\" > /app/run.txt && cat /app/msg.txt\nWORKDIR /app\nCMD [\"cat\", \"run.txt\", \"msg.txt\"]\n");
        Write("msg.txt", "from the context\n");
        var result = (await Docker(cli, "build", "-t", "web", _dir)).Succeeded();
        var output = result.Stdout + result.Stderr;
        Assert.Contains("Step 1/6 : FROM busybox", output);
        Assert.Contains("Step 2/6 : ENV GREETING=hello     WHO=world", output);
        Assert.Matches(@"Step 4/6 : RUN echo ""\$GREETING \$WHO"" > /app/run.txt && cat /app/msg.txt\n ---> Running in [0-9a-f]{12}\nfrom the context\n ---> Removed intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\n", output);
        Assert.Matches(@"Successfully built [0-9a-f]{12}\nSuccessfully tagged web:latest", output);

        var run = (await Docker(cli, "run", "--rm", "web")).Succeeded();
        Assert.Equal("hello world\nfrom the context\n", run.Stdout);
        var config = (await Docker(cli, "image", "inspect", "-f", "{{.Config.WorkingDir}} {{.Config.Env}}", "web")).Succeeded();
        Assert.Equal("/app [PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin GREETING=hello WHO=world]", config.Stdout.Trim());
        Assert.Empty(_server.Containers.List(_server.CallerMachine!));
    }

    [Fact]
    public async Task COPY_keeps_the_capability_the_CLI_sends_with_a_context_file()
    {
        Write("Dockerfile", "FROM busybox\nCOPY tool /tool\n");
        Write("tool", "ELF\n");
        var tool = Path.Combine(_dir, "tool");
        TestXattrs.Run("setcap", "cap_dac_override,cap_fowner,cap_net_raw+ep", tool); // 0x200A: a newline byte
        var capability = TestXattrs.Get(tool, "security.capability")!;

        (await Docker("cli28", "build", "-t", "capped", _dir)).Succeeded();
        (await Docker("cli28", "create", "--name", "capped-c", "capped", "true")).Succeeded();
        var back = Directory.CreateDirectory(Path.Combine(_server.Root, "capped-back")).FullName;
        (await Docker("cli28", "cp", "capped-c:/tool", back)).Succeeded();

        Assert.Equal(capability, TestXattrs.Get(Path.Combine(back, "tool"), "security.capability"));
    }

    [Fact]
    public async Task Unchanged_rebuild_uses_the_cache_and_an_edited_file_misses_it()
    {
        Write("Dockerfile", "FROM busybox\nCOPY app.txt /app.txt\nRUN cat /app.txt > /copy.txt\n");
        Write("app.txt", "v1\n");
        var first = (await Docker("cli28", "build", "-t", "cached", _dir)).Succeeded();
        Assert.DoesNotContain("Using cache", first.Stdout);
        var second = (await Docker("cli28", "build", "-t", "cached", _dir)).Succeeded();
        Assert.Equal(2, second.Stdout.Split(" ---> Using cache").Length - 1);
        Assert.Equal(LastId(first.Stdout), LastId(second.Stdout));

        Write("app.txt", "v2\n");
        var third = (await Docker("cli28", "build", "-t", "cached", _dir)).Succeeded();
        Assert.DoesNotContain("Using cache", third.Stdout);
        Assert.Equal("v2\n", (await Docker("cli28", "run", "--rm", "cached", "cat", "/copy.txt")).Succeeded().Stdout);

        var noCache = (await Docker("cli28", "build", "--no-cache", "-t", "cached", _dir)).Succeeded();
        Assert.DoesNotContain("Using cache", noCache.Stdout);
    }

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Multi_stage_copies_from_an_earlier_stage(string cli)
    {
        Write("Dockerfile", "FROM busybox AS builder\nRUN mkdir /out && echo built > /out/artifact\n\nFROM busybox\nCOPY --from=builder /out/artifact /artifact\nCMD [\"cat\", \"/artifact\"]\n");
        (await Docker(cli, "build", "-t", "multi", _dir)).Succeeded();
        Assert.Equal("built\n", (await Docker(cli, "run", "--rm", "multi")).Succeeded().Stdout);
    }

    [Fact]
    public async Task Build_args_reach_RUN_and_the_history()
    {
        Write("Dockerfile", "ARG BASE=busybox\nFROM $BASE\nARG NAME=nobody\nRUN echo \"hi ${NAME:-x}\" > /name\n");
        (await Docker("cli28", "build", "--build-arg", "NAME=lab", "-t", "args", _dir)).Succeeded();
        Assert.Equal("hi lab\n", (await Docker("cli28", "run", "--rm", "args", "cat", "/name")).Succeeded().Stdout);
        var history = (await Docker("cli28", "history", "--no-trunc", "--format", "{{.CreatedBy}}", "args")).Succeeded();
        Assert.Contains("|1 NAME=lab /bin/sh -c echo \"hi ${NAME:-x}\" > /name", history.Stdout);
    }

    [Fact]
    public async Task Dockerignore_leaves_files_out_of_COPY()
    {
        Write("Dockerfile", "FROM busybox\nCOPY . /src\nRUN ls /src | sort | tr '\\n' ' '; echo\n");
        Write(".dockerignore", "*.log\nsecret/\n!keep.log\n");
        Write("a.txt", "a");
        Write("debug.log", "x");
        Write("keep.log", "k");
        Write("secret/key", "s");
        var result = (await Docker("cli20", "build", _dir)).Succeeded();
        Assert.True(result.Stdout.Contains("Dockerfile a.txt keep.log \n"), result.Stdout);
    }

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task A_failing_RUN_stops_the_build_with_its_exit_code_and_tags_nothing(string cli)
    {
        Write("Dockerfile", "FROM busybox\nRUN echo before\nRUN exit 3\nRUN echo never\n");
        var result = await Docker(cli, "build", "-t", "broken", _dir);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("The command '/bin/sh -c exit 3' returned a non-zero code: 3", result.Stderr);
        Assert.DoesNotContain("never", result.Stdout);
        Assert.Null(new TagStore(_server.Runtime.ImagesDir, _server.CallerMachine!).Resolve(Reference.Parse("broken")));
    }

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task A_parse_error_names_the_line(string cli)
    {
        Write("Dockerfile", "FROM busybox\nRUN true\nFOO bar\n");
        var result = await Docker(cli, "build", _dir);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("dockerfile parse error line 3: unknown instruction: FOO", result.Stderr);
    }

    [Fact]
    public async Task Quiet_build_prints_only_the_image_id()
    {
        Write("Dockerfile", "FROM busybox\nLABEL a=b\n");
        var result = (await Docker("cli28", "build", "-q", _dir)).Succeeded();
        Assert.Matches("^sha256:[0-9a-f]{64}\n$", result.Stdout);
    }

    [Fact]
    public async Task ADD_of_a_URL_is_refused_clearly()
    {
        Write("Dockerfile", "FROM busybox\nADD https://example.com/x.tar.gz /x\n");
        var result = await Docker("cli28", "build", _dir);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("a lab machine has no network", result.Stderr);
    }

    [Fact]
    public async Task A_flask_app_builds_on_the_python_image_and_serves_its_page()
    {
        var python = new TagStore(TestImages.StoreDir, ImageStore.Library).Resolve(Reference.Parse("python:3"));
        Assert.NotNull(python);
        await new TagStore(_server.Runtime.ImagesDir, _server.CallerMachine!).TagAsync(Reference.Parse("python:3"), python);
        Write("app.py", "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef hello():\n    return 'Bonjour depuis Flask'\n");
        Write("Dockerfile", "FROM python:3\nWORKDIR /app\nCOPY app.py .\nEXPOSE 5000\nCMD [\"flask\", \"run\", \"--host=0.0.0.0\"]\n");
        (await Docker("cli28", "build", "-t", "web", _dir)).Succeeded();
        var inspect = (await Docker("cli28", "image", "inspect", "-f", "{{.Config.ExposedPorts}} {{.Config.Cmd}}", "web")).Succeeded();
        Assert.Equal("map[5000/tcp:{}] [flask run --host=0.0.0.0]", inspect.Stdout.Trim());
        var page = (await Docker("cli20", "run", "--rm", "web", "python", "-c",
            "import app; print(app.app.test_client().get('/').data.decode())")).Succeeded();
        Assert.Equal("Bonjour depuis Flask\n", page.Stdout);
    }

    [Fact]
    public async Task Onbuild_triggers_run_when_the_image_is_used_as_a_base()
    {
        Write("Dockerfile", "FROM busybox\nONBUILD COPY note.txt /note.txt\nONBUILD RUN echo triggered > /trigger\n");
        Write("note.txt", "noted\n");
        (await Docker("cli28", "build", "-t", "base-with-triggers", _dir)).Succeeded();
        Write("Dockerfile", "FROM base-with-triggers\nCMD [\"cat\", \"/note.txt\", \"/trigger\"]\n");
        var child = (await Docker("cli28", "build", "-t", "child", _dir)).Succeeded();
        Assert.Contains("# Executing 2 build triggers", child.Stdout + child.Stderr);
        Assert.Equal("noted\ntriggered\n", (await Docker("cli28", "run", "--rm", "child")).Succeeded().Stdout);
        var onbuild = (await Docker("cli28", "image", "inspect", "-f", "{{json .Config.OnBuild}}", "child")).Succeeded();
        Assert.Contains(onbuild.Stdout.Trim(), new[] { "null", "[]" });
    }

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Target_stops_at_the_named_stage_and_labels_are_added(string cli)
    {
        Write("Dockerfile", "FROM busybox AS first\nRUN echo one > /stage\nFROM busybox AS second\nRUN echo two > /stage\n");
        (await Docker(cli, "build", "--target", "first", "--label", "course=docker", "-t", "targeted", _dir)).Succeeded();
        Assert.Equal("one\n", (await Docker(cli, "run", "--rm", "targeted", "cat", "/stage")).Succeeded().Stdout);
        var label = (await Docker(cli, "image", "inspect", "-f", "{{index .Config.Labels \"course\"}}", "targeted")).Succeeded();
        Assert.Equal("docker", label.Stdout.Trim());

        var missing = await Docker(cli, "build", "--target", "nope", _dir);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("failed to reach build target nope in Dockerfile", missing.Stderr);
    }

    [Fact]
    public async Task A_dockerfile_outside_the_context_is_used_with_f()
    {
        var other = Directory.CreateDirectory(Path.Combine(_server.Root, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(other, "Dockerfile.dev"), "FROM busybox\nCOPY msg.txt /msg.txt\n");
        Write("msg.txt", "from -f\n");
        (await Docker("cli20", "build", "-f", Path.Combine(other, "Dockerfile.dev"), "-t", "dev", _dir)).Succeeded();
        Assert.Equal("from -f\n", (await Docker("cli20", "run", "--rm", "dev", "cat", "/msg.txt")).Succeeded().Stdout);
    }

    [Fact]
    public async Task Copy_of_a_path_outside_the_context_is_refused()
    {
        Write("Dockerfile", "FROM busybox\nCOPY ../secret /secret\n");
        var result = await Docker("cli28", "build", _dir);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("forbidden path outside the build context: ../secret", result.Stderr);
    }

    [Fact]
    public async Task Only_the_built_image_is_listed_not_its_steps()
    {
        Write("Dockerfile", "FROM busybox\nENV A=1\nRUN echo x > /x\n");
        (await Docker("cli28", "build", "-t", "listed", _dir)).Succeeded();
        var images = (await Docker("cli28", "images", "--format", "{{.Repository}}:{{.Tag}}")).Succeeded();
        Assert.Equal(["busybox:latest", "listed:latest"], images.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
    }

    [Fact]
    public async Task Builder_prune_forgets_the_cache()
    {
        Write("Dockerfile", "FROM busybox\nRUN echo cached > /c\n");
        (await Docker("cli28", "build", _dir)).Succeeded();
        var pruned = (await Docker("cli20", "builder", "prune", "-f")).Succeeded();
        Assert.Contains("Total reclaimed space", pruned.Stdout);
        var rebuilt = (await Docker("cli28", "build", _dir)).Succeeded();
        Assert.DoesNotContain("Using cache", rebuilt.Stdout);
    }

    static string LastId(string output) =>
        System.Text.RegularExpressions.Regex.Match(output, "Successfully built ([0-9a-f]{12})").Groups[1].Value;
}
