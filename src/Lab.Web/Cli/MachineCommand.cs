using System.CommandLine;
using System.Globalization;
using Lab.Runtime;
using Lab.Runtime.Machines;
using Lab.Web.Control;
using Lab.Web.Hosting;

namespace Lab.Web.Cli;

/// <summary>`lab machine ls | start NAME | exec NAME -- CMD... | stop NAME | rm NAME`: the running server does
/// the work (it owns the machines); these commands reach it over LAB_DATA/control.sock. Any failure prints one
/// line to stderr and exits 1; `exec` otherwise exits with the command's own code.</summary>
public static class MachineCommand
{
    public static Command Create(IReadOnlyDictionary<string, string?> settings, CliConsole console)
    {
        var machine = new Command("machine", "Manage lab machines through the running server.");

        var ls = new Command("ls", "List the lab machines.");
        ls.SetAction((_, ct) => RunAsync(settings, console, async client =>
        {
            WriteTable(console.Out, await client.ListAsync(ct));
            return 0;
        }));
        machine.Add(ls);

        var memory = new Option<string>("--memory", "-m") { Description = "Memory limit, e.g. 512m or 1g (default 512m; no swap)." };
        var pids = new Option<int?>("--pids") { Description = "Maximum number of processes (default 512)." };
        var cpus = new Option<double?>("--cpus") { Description = "CPU quota in cores, e.g. 0.5 (default 1)." };
        var start = new Command("start", "Create the machine if needed and start it; limits apply from this start on.")
            { NameArgument(), memory, pids, cpus };
        start.SetAction((parse, ct) => RunAsync(settings, console, async client =>
        {
            var info = await client.StartAsync(Name(parse), Limits(parse, memory, pids, cpus), ct);
            console.Out.WriteLine($"{info.Name} {State(info.State)} (pid {info.InitPid})");
            return 0;
        }));
        machine.Add(start);

        var command = new Argument<string[]>("command") { Description = "The command and its arguments, after --.", Arity = ArgumentArity.OneOrMore };
        var exec = new Command("exec", "Run a command in a running machine; exits with its exit code.") { NameArgument(), command };
        exec.SetAction((parse, ct) => RunAsync(settings, console, client =>
            client.ExecAsync(Name(parse), parse.GetRequiredValue(command), console.StandardOutput, console.StandardError, ct)));
        machine.Add(exec);

        var stop = new Command("stop", "Stop the machine (its files are kept).") { NameArgument() };
        stop.SetAction((parse, ct) => RunAsync(settings, console, async client =>
        {
            await client.StopAsync(Name(parse), ct);
            return 0;
        }));
        machine.Add(stop);

        var rm = new Command("rm", "Stop the machine and delete it, files included.") { NameArgument() };
        rm.SetAction((parse, ct) => RunAsync(settings, console, async client =>
        {
            await client.RemoveAsync(Name(parse), ct);
            return 0;
        }));
        machine.Add(rm);

        return machine;
    }

    // No option given: the server keeps the machine's limits (or the defaults for a new one).
    private static MachineLimits? Limits(ParseResult parse, Option<string> memory, Option<int?> pids, Option<double?> cpus)
    {
        if (parse.GetValue(memory) is null && parse.GetValue(pids) is null && parse.GetValue(cpus) is null) return null;
        var limits = MachineLimits.Default;
        if (parse.GetValue(memory) is { } m) limits = limits with { MemoryBytes = MachineLimitsCheck.ParseSize(m) };
        if (parse.GetValue(pids) is { } p) limits = limits with { Pids = p };
        if (parse.GetValue(cpus) is { } c) limits = limits with { Cpus = c };
        return limits.Validate();
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The machine's name." };

    /// <summary>Checked here too, so a typo gets the runtime's own explanation without a round trip.</summary>
    private static string Name(ParseResult parse) =>
        MachineName.Validate(parse.GetRequiredValue<string>("name"));

    private static async Task<int> RunAsync(IReadOnlyDictionary<string, string?> settings, CliConsole console,
        Func<ControlClient, Task<int>> action)
    {
        try
        {
            using var client = new ControlClient(LabSettings.Bind(settings).ControlSocketPath);
            return await action(client);
        }
        catch (Exception e) when (e is ControlException or LabException or LabSettingsException)
        {
            console.Error.WriteLine($"lab: {e.Message}");
            return 1;
        }
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<MachineInfo> machines)
    {
        const string format = "{0,-32} {1,-8} {2,-8} {3,-9} {4,-5} {5,-5} {6}";
        output.WriteLine(format, "NAME", "STATE", "PID", "MEMORY", "PIDS", "CPUS", "CREATED");
        foreach (var m in machines)
        {
            output.WriteLine(format, m.Name, State(m.State), m.InitPid?.ToString(CultureInfo.InvariantCulture) ?? "-",
                $"{m.Limits.MemoryBytes / (1024 * 1024)} MiB", m.Limits.Pids, m.Limits.Cpus.ToString(CultureInfo.InvariantCulture),
                m.CreatedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        }
    }

    private static string State(MachineState state) => state.ToString().ToLowerInvariant();
}
