using Lab.Web.Accounts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;

namespace Lab.Web.Setup;

/// <summary>First run: while no admin account exists, each start prints a fresh one-time link to create it.</summary>
public static class SetupFeature
{
    public static IServiceCollection AddAdminSetup(this IServiceCollection services) =>
        services.AddSingleton<AdminSetupToken>();

    /// <summary>After the server listens (so the link works when clicked). Returns the link, or null when an
    /// admin already exists.</summary>
    public static async Task<string?> PrintAdminSetupLinkAsync(this WebApplication app, TextWriter console)
    {
        var tokens = app.Services.GetRequiredService<AdminSetupToken>();
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LabUser>>();
        if ((await users.GetUsersInRoleAsync(LabRoles.Admin)).Count > 0)
        {
            tokens.Revoke();
            return null;
        }

        var link = $"{BrowsableAddress(app)}/setup/{tokens.Issue()}";
        console.WriteLine();
        console.WriteLine("No admin account yet. Create it (this link works once):");
        console.WriteLine("    " + link);
        console.WriteLine();
        return link;
    }

    /// <summary>The first address the server listens on, as a browser on this machine would type it.</summary>
    public static string BrowsableAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var first = addresses
            .Where(address => !address.StartsWith("http://unix:", StringComparison.Ordinal)) // the control socket
            .Select(address => new Uri(address))
            .FirstOrDefault(uri => uri.Scheme == Uri.UriSchemeHttp)
            ?? throw new InvalidOperationException("the server listens on no http address");
        var host = first.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : first.Host;
        return $"http://{(host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host)}:{first.Port}";
    }
}
