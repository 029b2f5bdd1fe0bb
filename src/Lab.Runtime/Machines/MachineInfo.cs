namespace Lab.Runtime.Machines;

public enum MachineState { Stopped, Running }

/// <summary>What a caller may know about a machine (a snapshot, not a live handle).</summary>
public sealed record MachineInfo(
    string Name,
    MachineState State,
    int? InitPid,
    MachineLimits Limits,
    DateTimeOffset CreatedAt);
