using Lab.Engine.Http;
using Lab.Runtime;
using Lab.Runtime.Containers;
using Lab.Runtime.Machines;

namespace Lab.Engine.Containers;

/// <summary>Turns a create request into the runtime's <see cref="ContainerSpec"/>. Options that would reach past
/// the lab machine (privileged, host namespaces, added capabilities, devices, a weaker security profile) are
/// refused as Forbidden; options the runtime does not implement yet are a clear 400 naming the flag, rather than
/// silently ignored; resource values are checked with dockerd's messages.</summary>
public static class CreateValidation
{
    const long MinimumMemory = 6 * 1024 * 1024; // dockerd's linuxMinMemory

    public static ContainerSpec ToSpec(CreateRequest request, string? name, MachineLimits machine)
    {
        if (string.IsNullOrEmpty(request.Image)) throw EngineErrors.InvalidParameter("config cannot be empty in order to create a container");
        var host = request.HostConfig ?? new HostConfigRequest();
        RefuseEscapes(host);
        RefuseUnsupported(request, host);

        if (host.Memory != 0 && host.Memory < MinimumMemory)
            throw EngineErrors.InvalidParameter("Minimum memory limit allowed is 6MB");
        if (host.Memory < 0) throw EngineErrors.InvalidParameter("invalid memory limit: must be positive");
        var nanoCpus = host.NanoCpus;
        if (nanoCpus != 0 && (host.CpuQuota != 0 || host.CpuPeriod != 0))
            throw EngineErrors.InvalidParameter("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        if (host.CpuQuota > 0)
            nanoCpus = host.CpuQuota * 1_000_000_000L / (host.CpuPeriod > 0 ? host.CpuPeriod : 100_000);
        var available = Math.Max(1, (long)Math.Ceiling(machine.Cpus));
        if (nanoCpus < 0 || nanoCpus > available * 1_000_000_000L)
            throw EngineErrors.InvalidParameter(
                $"Range of CPUs is from 0.01 to {available}.00, as there are only {available} CPUs available");

        var restart = host.RestartPolicy is { Name.Length: > 0 } policy
            ? RestartPolicy.Parse(policy.Name, policy.MaximumRetryCount)
            : RestartPolicy.No;
        if (!string.IsNullOrEmpty(request.WorkingDir) && !request.WorkingDir.StartsWith('/'))
            throw EngineErrors.InvalidParameter($"the working directory '{request.WorkingDir}' is invalid, it needs to be an absolute path");
        return new ContainerSpec
        {
            Image = request.Image,
            Name = string.IsNullOrEmpty(name) ? null : name,
            Entrypoint = request.Entrypoint,
            Cmd = request.Cmd is { Count: > 0 } ? request.Cmd : null,
            Env = request.Env ?? [],
            WorkingDir = string.IsNullOrEmpty(request.WorkingDir) ? null : request.WorkingDir,
            User = string.IsNullOrEmpty(request.User) ? null : request.User,
            Hostname = string.IsNullOrEmpty(request.Hostname) ? null : request.Hostname,
            Tty = request.Tty,
            OpenStdin = request.OpenStdin,
            StdinOnce = request.StdinOnce,
            Labels = request.Labels ?? new Dictionary<string, string>(),
            RestartPolicy = restart,
            AutoRemove = host.AutoRemove,
            StopSignal = string.IsNullOrEmpty(request.StopSignal) ? null : request.StopSignal,
            StopTimeout = request.StopTimeout,
            ExposedPorts = request.ExposedPorts?.Keys.Select(p => p.Contains('/') ? p : p + "/tcp").Distinct().ToList() ?? [],
            NetworkMode = string.IsNullOrEmpty(host.NetworkMode) ? "default" : host.NetworkMode,
            Endpoints = request.NetworkingConfig?.EndpointsConfig?.Select(e => e.Value.ToSpec(e.Key)).ToList(),
            Links = host.Links ?? [],
            ExtraHosts = host.ExtraHosts ?? [],
            Dns = host.Dns ?? [],
            DnsSearch = host.DnsSearch ?? [],
            DnsOptions = host.DnsOptions ?? [],
            PortBindings = PublishedPorts.Parse(host.PortBindings),
            PublishAllPorts = host.PublishAllPorts,
            MemoryBytes = host.Memory,
            NanoCpus = nanoCpus,
            PidsLimit = host.PidsLimit is > 0 ? host.PidsLimit.Value : 0,
            Mounts = MountRequests.Parse(request, host), // made concrete by VolumeHost.ResolveMountsAsync
            VolumesFrom = host.VolumesFrom ?? [],
        };
    }

    static void RefuseEscapes(HostConfigRequest host)
    {
        if (host.Privileged) throw Forbidden("--privileged is not allowed in a lab machine");
        foreach (var (mode, flag) in new[] { (host.PidMode, "--pid"), (host.IpcMode, "--ipc"), (host.UTSMode, "--uts"), (host.UsernsMode, "--userns"), (host.CgroupnsMode, "--cgroupns") })
            if (mode == "host") throw Forbidden($"{flag}=host is not allowed in a lab machine");
        if (host.PidMode is { Length: > 0 } pid && pid.StartsWith("container:", StringComparison.Ordinal))
            throw EngineErrors.InvalidParameter("--pid=container:... is not supported in a lab machine yet");
        if (host.CapAdd is { Count: > 0 } caps) throw Forbidden($"--cap-add is not allowed in a lab machine (asked for {string.Join(", ", caps)})");
        if (host.Devices is { Count: > 0 } || host.DeviceRequests is { Count: > 0 } || host.DeviceCgroupRules is { Count: > 0 })
            throw Forbidden("--device is not allowed in a lab machine");
        if (!string.IsNullOrEmpty(host.CgroupParent)) throw Forbidden("--cgroup-parent is not allowed in a lab machine");
        foreach (var option in host.SecurityOpt ?? [])
            CheckSecurityOption(option);
    }

    /// <summary>Options that only keep or strengthen the default profile pass; anything that would weaken it is
    /// refused; unknown ones get dockerd's "Invalid --security-opt".</summary>
    static void CheckSecurityOption(string option)
    {
        var separator = option.IndexOfAny(['=', ':']);
        var key = separator < 0 ? option : option[..separator];
        var value = separator < 0 ? "" : option[(separator + 1)..];
        switch (key)
        {
            case "no-new-privileges" when value is "" or "true":
                return;
            case "seccomp" when value is "builtin":
                return;
            case "no-new-privileges" or "seccomp" or "apparmor" or "label" or "systempaths":
                throw Forbidden($"--security-opt {option} would weaken the container's confinement, which is not allowed in a lab machine");
            default:
                throw EngineErrors.InvalidParameter($"Invalid --security-opt: \"{option}\"");
        }
    }

    static void RefuseUnsupported(CreateRequest request, HostConfigRequest host)
    {
        void Unsupported(bool set, string flag)
        {
            if (set) throw EngineErrors.InvalidParameter($"{flag} is not supported by the lab machine's engine yet");
        }
        Unsupported(host.ReadonlyRootfs, "--read-only");
        Unsupported(host.Sysctls is { Count: > 0 }, "--sysctl");
        Unsupported(host.Ulimits is { Count: > 0 }, "--ulimit");
        Unsupported(host.GroupAdd is { Count: > 0 }, "--group-add");
        Unsupported(host.CapDrop is { Count: > 0 }, "--cap-drop");
        Unsupported(host.MemorySwap > 0 && host.MemorySwap != host.Memory, "--memory-swap (machines run without swap)");
        Unsupported(request.Healthcheck is { ValueKind: System.Text.Json.JsonValueKind.Object } hc && hc.TryGetProperty("Test", out var test) && test.ValueKind == System.Text.Json.JsonValueKind.Array && test.GetArrayLength() > 0 && test[0].GetString() != "NONE",
            "--health-cmd (health checks)");
    }

    static LabException Forbidden(string message) => new(ErrorKind.Forbidden, message);
}
