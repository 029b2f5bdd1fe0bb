using System.CommandLine;
using Lab.Runtime;
using Lab.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Lab.Web.Cli;

/// <summary>`lab serve` (also `lab` alone): prepares the base image and the database, then serves until stopped.</summary>
public static class ServeCommand
{
    public static Command Create(IReadOnlyDictionary<string, string?> settings, CliConsole console)
    {
        var command = new Command("serve", "Run the Lab web server (LAB_URLS, default http://127.0.0.1:5080; data in LAB_DATA, default /var/lib/lab).");
        command.SetAction((_, ct) => RunAsync(settings, console, ct));
        return command;
    }

    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string?> settings, CliConsole console, CancellationToken ct)
    {
        await using var app = Program.BuildServer(settings);
        try
        {
            await ServerStartup.StartAsync(app, console.Out, ct);
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                console.Error.WriteLine($"lab: {failure}");
            }

            return 1;
        }
        catch (LabException e)
        {
            console.Error.WriteLine($"lab: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 130;
        }

        await app.WaitForShutdownAsync(ct);
        return 0;
    }
}
