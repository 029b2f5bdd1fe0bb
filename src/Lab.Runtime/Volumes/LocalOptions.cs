namespace Lab.Runtime.Volumes;

/// <summary>The local driver's options (`docker volume create -o`): type, device, o, size. In a lab machine a volume
/// is a directory on the machine's disk, or, with type=none o=bind device=DIR, a directory of the machine itself
/// (a common lesson recipe); other filesystems (tmpfs, nfs, a device) cannot be mounted from inside a lab machine.</summary>
public static class LocalOptions
{
    private static readonly string[] Known = ["type", "device", "o", "size"];

    public static void Validate(string name, IReadOnlyDictionary<string, string> options)
    {
        foreach (var key in options.Keys)
            if (!Known.Contains(key))
                throw new LabException(ErrorKind.InvalidParameter, $"create {name}: invalid option: \"{key}\"");
        if (options.Count == 0) return;
        if (BindDevice(options) is { } device)
        {
            if (!device.StartsWith('/'))
                throw new LabException(ErrorKind.InvalidParameter, $"create {name}: device must be an absolute path in the lab machine: \"{device}\"");
            return;
        }
        options.TryGetValue("type", out var type);
        throw new LabException(ErrorKind.InvalidParameter,
            $"create {name}: the local driver in a lab machine takes no options but type=none o=bind device=/dir (asked for type \"{type}\")");
    }

    /// <summary>The machine directory of a bind volume (type=none, o contains bind), else null.</summary>
    public static string? BindDevice(IReadOnlyDictionary<string, string> options) =>
        options.TryGetValue("type", out var type) && type == "none"
        && options.TryGetValue("o", out var o) && o.Split(',').Contains("bind")
        && options.TryGetValue("device", out var device) ? device : null;
}
