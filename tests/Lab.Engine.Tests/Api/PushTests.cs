using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary><c>docker push</c> through the engine to the classroom registry: a student into their own namespace
/// with their Lab account, the CLI's progress output, the registry's refusal elsewhere, and the push event.</summary>
public sealed class PushTests(ClassroomMachineFixture classroom) : IClassFixture<ClassroomMachineFixture>
{
    Task<CliResult> Docker(params string[] args) => DockerCli.Cli28.RunAsync(classroom.Server, args);

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task A_student_pushes_into_their_namespace_and_pulls_it_back(string cli)
    {
        var repo = $"alice/app-{cli}";
        (await Docker("login", "-u", "alice", "-p", "alice-secret")).Succeeded();
        (await Docker("tag", "busybox", $"{repo}:1")).Succeeded();

        var push = (await DockerCli.Named(cli).RunAsync(classroom.Server, "push", $"{repo}:1")).Succeeded();
        (await Docker("rmi", $"{repo}:1")).Succeeded();
        var pull = (await Docker("pull", $"{repo}:1")).Succeeded();

        Assert.Contains($"The push refers to repository [docker.io/{repo}]", push.Stdout);
        Assert.Matches(@"[0-9a-f]{12}: (Pushed|Layer already exists|Mounted from \S+)", push.Stdout);
        Assert.Matches(@"1: digest: sha256:[0-9a-f]{64} size: \d+", push.Stdout);
        Assert.Contains($"Status: Downloaded newer image for {repo}:1", pull.Stdout);
        await Task.Delay(1100); // --until is whole seconds
        var events = (await Docker("events", "--since", "1m", "--until", "0s", "--filter", $"image={repo}",
            "--format", "{{.Action}} {{.Actor.ID}}")).Succeeded();
        Assert.Contains($"push {repo}:1", events.Stdout);
        Assert.Contains($"pull {repo}:1", events.Stdout);
    }

    [Fact]
    public async Task Pushing_without_login_is_refused_by_the_registry()
    {
        (await Docker("logout")).Succeeded();
        (await Docker("tag", "busybox", "alice/anonymous:1")).Succeeded();

        var push = await Docker("push", "alice/anonymous:1");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Matches("denied: requested access to the resource is denied|unauthorized: authentication required", push.Stderr);
    }

    [Fact]
    public async Task Pushing_into_another_students_namespace_is_denied()
    {
        (await Docker("login", "-u", "alice", "-p", "alice-secret")).Succeeded();
        (await Docker("tag", "busybox", "bob/stolen:1")).Succeeded();

        var push = await Docker("push", "bob/stolen:1");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("denied: requested access to the resource is denied", push.Stderr);
    }

    [Fact]
    public async Task Pushing_an_image_the_machine_does_not_have_is_dockerds_error()
    {
        var push = await Docker("push", "alice/nothing-here:1");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("An image does not exist locally with the tag: alice/nothing-here", push.Stderr);
    }

    [Fact]
    public async Task Push_all_tags_pushes_each_and_logs_push_events()
    {
        (await Docker("login", "-u", "alice", "-p", "alice-secret")).Succeeded();
        (await Docker("tag", "busybox", "alice/many:a")).Succeeded();
        (await Docker("tag", "busybox", "alice/many:b")).Succeeded();

        var push = (await Docker("push", "--all-tags", "alice/many")).Succeeded();
        await Task.Delay(1100); // --until is whole seconds
        var events = (await Docker("events", "--since", "1m", "--until", "0s", "--filter", "event=push",
            "--format", "{{.Type}} {{.Action}} {{.Actor.ID}} {{.Actor.Attributes.name}}")).Succeeded();

        Assert.Matches(@"a: digest: sha256:[0-9a-f]{64}", push.Stdout);
        Assert.Matches(@"b: digest: sha256:[0-9a-f]{64}", push.Stdout);
        Assert.Contains("image push alice/many:a alice/many", events.Stdout);
        Assert.Contains("image push alice/many:b alice/many", events.Stdout);
    }
}
