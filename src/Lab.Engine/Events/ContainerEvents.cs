using Lab.Runtime.Containers;

namespace Lab.Engine.Events;

/// <summary>Container events the engine itself sees (attach, exec_*), with the attributes dockerd gives every
/// container event (daemon/events.go): name, image and the container's labels, plus the event's own.</summary>
public static class ContainerEvents
{
    public static void Container(this EngineEvents events, ContainerRecord record, string action,
        params (string Key, string Value)[] extra)
    {
        var attributes = new Dictionary<string, string>(record.Config.Labels) { ["name"] = record.Name, ["image"] = record.ImageName };
        foreach (var (key, value) in extra) attributes[key] = value;
        events.Publish(record.Machine, EventTypes.Container, action, record.Id, attributes);
    }

    /// <summary>dockerd's exec action text: "exec_start: ls -l" (entrypoint, a space, the arguments).</summary>
    public static string ExecAction(string action, ExecSpec spec) =>
        $"{action}: {spec.Cmd[0]} {string.Join(' ', spec.Cmd.Skip(1))}";
}
