using System.Diagnostics;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Conformance;

/// <summary>One side of the comparison: a docker CLI pointed at an engine's socket, with a config dir and a host
/// directory ({dir} in scripts) of its own. Both sides speak the API version given (dockerd's), so that what
/// differs is the engine, not what the CLI asks of it.</summary>
public sealed class CliPeer(string name, string socket, string root)
{
    public string Name => name;

    /// <summary>The host directory scripts call {dir}: holds hello.txt before every script.</summary>
    public string Dir { get; } = Path.Combine(root, "conform-" + name);

    public string? ApiVersion { get; set; }

    public void ResetDir()
    {
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
        Directory.CreateDirectory(Dir);
        File.WriteAllText(Path.Combine(Dir, "hello.txt"), "hello from the host\n");
        File.WriteAllText(Path.Combine(Dir, "env.list"), "# an env file\nCOURSE=docker\nLEVEL=1\n");
    }

    public async Task<CliResult> RunAsync(DockerCli cli, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(cli.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Dir,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg.Replace("{dir}", Dir));
        foreach (var key in new[] { "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_API_VERSION" })
            start.Environment.Remove(key);
        if (ApiVersion is not null) start.Environment["DOCKER_API_VERSION"] = ApiVersion;
        start.Environment["DOCKER_HOST"] = "unix://" + socket;
        start.Environment["DOCKER_CONFIG"] = Directory.CreateDirectory(Path.Combine(root, "cli-config-" + name)).FullName;
        start.Environment["DOCKER_CLI_HINTS"] = "false";
        start.Environment["DOCKER_BUILDKIT"] = "0";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{cli.Path} did not start");
        process.StandardInput.Close(); // as with </dev/null: a command that reads stdin sees its end
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"{name}: docker {string.Join(' ', args)} did not finish within 60 s");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
