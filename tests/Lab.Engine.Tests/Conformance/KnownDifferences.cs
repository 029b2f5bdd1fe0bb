namespace Lab.Engine.Tests.Conformance;

/// <summary>Which part of a command's result a known difference covers.</summary>
public enum ResultPart { Stdout, Stderr, ExitCode }

/// <summary>A difference between Lab and dockerd that is known and kept on purpose, with the reason. The script
/// line is named as written; <paramref name="Cli"/> null means for every CLI that runs the script.</summary>
public sealed record KnownDifference(string Script, string Command, ResultPart Part, string Reason, string? Cli = null);

/// <summary>The allow-list: every difference the conformance scripts still show, each with why it stays. An entry
/// that no longer differs fails the test too, so the list is always the true list of what is left.</summary>
public static class KnownDifferences
{
    public static readonly IReadOnlyList<KnownDifference> All =
    [
        // dockerd 20.10's own wording, changed in later Docker releases; Lab words it as current Docker does:
        new("images", "docker image inspect no-such-image", ResultPart.Stderr,
            "dockerd 20.10 repeats the name ('no such image: x: No such image: x:latest')"),
        new("user-networks", "docker network create --subnet 10.79.0.0/33 broken", ResultPart.Stderr,
            "dockerd 20.10: 'Invalid subnet 10.79.0.0/33 : invalid CIDR address: …'; current Docker, as Lab: 'invalid subnet 10.79.0.0/33: invalid CIDR block notation'"),
        new("user-networks", "docker network rm classroom", ResultPart.Stderr,
            "dockerd 20.10: 'network classroom id … has active endpoints'; current Docker, as Lab, names them: 'has active endpoints (name:\"client\" id:…)'"),
        new("networks", "docker network create none", ResultPart.Stderr,
            "dockerd 20.10: 'operation is not permitted on predefined none network'; current Docker, as Lab: 'none is a pre-defined network and cannot be created'"),

        // Different by design:
        new("workflow", "docker load -i {dir}/hello.txt", ResultPart.Stderr,
            "dockerd reports its untar subprocess ('Error processing tar file(exit status 1): unexpected EOF'); Lab says what is wrong with the file: 'the image archive is not a valid tar: it ends in the middle of an entry (unexpected EOF)'"),
        new("containers", "docker run --rm --network none busybox no-such-command", ResultPart.Stderr,
            "dockerd prefixes runc's words with its containerd/shim chain ('failed to create shim task: OCI runtime create failed: …: unknown'); Lab has no shim and keeps runc's words the CLI reads its exit code from (127)"),
        new("containers", "docker run --rm --network none busybox /etc", ResultPart.Stderr,
            "as above (exit 126); CLI 20.10 with dockerd also logs a racy 'error waiting for container: context canceled'"),
        new("containers", "docker exec web no-such-command", ResultPart.Stdout,
            "dockerd prefixes 'OCI runtime exec failed: exec failed: unable to start container process:' and appends ': unknown'; Lab: 'exec failed:' and runc's words"),
    ];
}
