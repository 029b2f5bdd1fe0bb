using Lab.Web.Accounts;
using Lab.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Lab.Web.Tests.Accounts;

/// <summary>The classroom registry's view of Lab accounts over the real Identity store: the password check, and
/// the security stamp that ends a login's identity tokens when the password changes.</summary>
public sealed class RegistryAccountsTests : IAsyncLifetime
{
    private LabTestServer server = null!;

    public async Task InitializeAsync() => server = await LabTestServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_password_change_changes_the_stamp_that_refresh_tokens_carry()
    {
        (await server.CreateBrowser().SignUpAsync("dana")).Dispose();
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LabUser>>();
        var accounts = new RegistryAccounts(users, scope.ServiceProvider.GetRequiredService<Lab.Web.Classes.ClassStore>());

        var verified = await accounts.VerifyAsync("dana", TestBrowser.Password, CancellationToken.None);
        var found = await accounts.FindAsync("dana", CancellationToken.None);
        Assert.NotNull(verified);
        Assert.Equal(verified.Stamp, found?.Stamp);
        Assert.NotEmpty(verified.Stamp);
        Assert.Equal([LabRoles.Student], found?.Roles);

        var dana = await users.FindByNameAsync("dana");
        Assert.True((await users.ChangePasswordAsync(dana!, TestBrowser.Password, "another long password")).Succeeded);
        Assert.NotEqual(verified.Stamp, (await accounts.FindAsync("dana", CancellationToken.None))?.Stamp);

        await users.SetLockoutEndDateAsync(dana!, DateTimeOffset.UtcNow.AddHours(1));
        Assert.Null(await accounts.FindAsync("dana", CancellationToken.None));
        Assert.Null(await accounts.FindAsync("nobody", CancellationToken.None));
    }
}
