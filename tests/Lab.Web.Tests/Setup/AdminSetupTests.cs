using System.Net;
using Lab.Web.Accounts;
using Lab.Web.Setup;
using Lab.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Lab.Web.Tests.Setup;

public sealed class AdminSetupTests : IAsyncLifetime
{
    private LabTestServer server = null!;

    public async Task InitializeAsync() => server = await LabTestServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private Dictionary<string, string> Account(string name) => new()
    {
        ["Form.UserName"] = name,
        ["Form.Password"] = TestBrowser.Password,
        ["Form.ConfirmPassword"] = TestBrowser.Password,
    };

    [Fact]
    public async Task The_first_start_prints_a_link_that_creates_an_admin_once()
    {
        var link = server.SetupLink;
        Assert.NotNull(link);
        Assert.Matches($"^{server.BaseAddress.GetLeftPart(UriPartial.Authority)}/setup/[0-9a-f]{{48}}$", link);
        var path = new Uri(link).AbsolutePath;

        using var admin = server.CreateBrowser();
        using var created = await admin.SubmitAsync(path, Account("root-admin"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/")).StatusCode);

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<LabUser>>();
            Assert.Equal(["root-admin"], (await users.GetUsersInRoleAsync(LabRoles.Admin)).Select(u => u.UserName));
        }

        using var late = server.CreateBrowser();
        using var reused = await late.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, reused.StatusCode);
        Assert.Contains("This setup link is invalid or has already been used.", await reused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_guessed_token_shows_the_invalid_link_page()
    {
        using var browser = server.CreateBrowser();
        using var response = await browser.GetAsync("/setup/" + new string('0', 48));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("This setup link is invalid or has already been used.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Only_the_hash_of_the_token_is_stored_and_only_root_can_read_it()
    {
        var token = new Uri(server.SetupLink!).AbsolutePath["/setup/".Length..];
        var stored = Path.Combine(server.DataDir, "admin-setup.sha256");

        Assert.DoesNotContain(token, File.ReadAllText(stored));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(stored));
    }

    [Fact]
    public async Task Once_an_admin_exists_no_link_is_printed()
    {
        var tokens = server.Services.GetRequiredService<AdminSetupToken>();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<LabUser>>();
            var admin = new LabUser { UserName = "existing-admin" };
            Assert.True((await users.CreateAsync(admin, TestBrowser.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(admin, LabRoles.Admin)).Succeeded);
        }

        var console = new StringWriter();
        var link = await server.App.PrintAdminSetupLinkAsync(console);

        Assert.Null(link);
        Assert.Equal("", console.ToString());
        Assert.False(tokens.IsValid(new Uri(server.SetupLink!).AbsolutePath["/setup/".Length..]));
    }
}
