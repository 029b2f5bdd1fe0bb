using Lab.Web.Errors;
using Lab.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lab.Web.Accounts;

/// <summary>Accounts: Identity on SQLite, the sign-in cookie, and "every page needs a signed-in user" as the
/// fallback policy (pages that do not, such as sign-in, say so with [AllowAnonymous]).</summary>
public static class AccountsSetup
{
    public const string SignInPath = "/signin";

    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddDbContext<LabDbContext>((provider, options) =>
            options.UseSqlite($"Data Source={provider.GetRequiredService<IOptions<LabOptions>>().Value.DatabasePath}"));

        services.AddIdentity<LabUser, IdentityRole>(options =>
            {
                // Length over composition rules (NIST SP 800-63B).
                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+";
                options.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddEntityFrameworkStores<LabDbContext>()
            .AddErrorDescriber<LocalizedIdentityErrors>();

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "lab.session";
            cookie.LoginPath = SignInPath;
            cookie.LogoutPath = "/signout";
            cookie.AccessDeniedPath = "/status/403";
            cookie.ExpireTimeSpan = TimeSpan.FromDays(7);
            cookie.SlidingExpiration = true;
            // A websocket or a script cannot follow a redirect to a form: they get the bare status.
            cookie.Events.OnRedirectToLogin = context => RedirectOrStatus(context.HttpContext, context.RedirectUri, 401);
            cookie.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context.HttpContext, context.RedirectUri, 403);
        });

        // Keys under LAB_DATA: sessions survive a restart; a test server's cookies mean nothing to another.
        services.AddDataProtection().SetApplicationName("lab");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<LabOptions>, ILoggerFactory>((keys, lab, logging) =>
            keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(lab.Value.KeysDir), logging));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddScoped<UserMachines>();
        return services;
    }

    /// <summary>GET /api/session: 204 while the sign-in cookie is valid, 401 once it is not (the terminal's
    /// script asks before reconnecting, to send a stale session to the sign-in page).</summary>
    public static RouteGroupBuilder MapAccounts(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/session", () => Results.NoContent());
        return api;
    }

    /// <summary>Applies pending migrations (creates the database on first run).</summary>
    public static async Task MigrateAccountsAsync(this WebApplication app, CancellationToken ct)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LabDbContext>().Database.MigrateAsync(ct);
    }

    private static Task RedirectOrStatus(HttpContext context, string redirectUri, int status)
    {
        if (ErrorsSetup.IsApiRequest(context.Request))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(redirectUri);
        }

        return Task.CompletedTask;
    }
}
