using Lab.Web.Accounts;
using Lab.Web.Control;
using Lab.Web.Courses;
using Lab.Web.Machines;
using Lab.Web.Setup;
using Microsoft.Extensions.Options;

namespace Lab.Web.Hosting;

/// <summary>What `lab serve` does around listening, in order. Tests start their servers the same way.</summary>
public static class ServerStartup
{
    public static async Task StartAsync(WebApplication app, TextWriter console, CancellationToken ct)
    {
        var lab = app.Services.GetRequiredService<IOptions<LabOptions>>().Value; // validates the settings
        CreateDataDir(lab.DataDir);
        app.PrepareControlSocket(); // first: a second server must not touch the first one's machines
        await app.PrepareMachinesAsync(console, ct);
        await app.MigrateAccountsAsync(ct);
        app.LoadCourses(console);

        await app.StartAsync(ct);
        app.SecureControlSocket();
        console.WriteLine($"Lab is listening on {SetupFeature.BrowsableAddress(app)} (data in {lab.DataDir})");
        await app.PrintAdminSetupLinkAsync(console);
    }

    /// <summary>The data dir holds password hashes, keys and the control socket: only its owner may enter it.</summary>
    private static void CreateDataDir(string path)
    {
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
