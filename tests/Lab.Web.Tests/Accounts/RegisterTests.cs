using System.Net;
using Lab.Web.Accounts;
using Lab.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Lab.Web.Tests.Accounts;

public sealed class RegisterTests : IAsyncLifetime
{
    private LabTestServer server = null!;

    public async Task InitializeAsync() => server = await LabTestServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Registering_signs_the_new_student_in_and_opens_the_catalog()
    {
        using var browser = server.CreateBrowser();
        using var response = await browser.RegisterAsync("alice");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        var catalog = await browser.GetPageAsync("/");
        Assert.Contains(TestCourse.Title, catalog);
        Assert.Contains("alice", catalog);

        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LabUser>>();
        var alice = await users.FindByNameAsync("alice");
        Assert.NotNull(alice);
        Assert.Equal([LabRoles.Student], await users.GetRolesAsync(alice));
    }

    [Fact]
    public async Task A_taken_user_name_is_refused_with_a_message()
    {
        using (var first = server.CreateBrowser())
        {
            await first.SignUpAsync("bob");
        }

        using var second = server.CreateBrowser();
        using var response = await second.RegisterAsync("bob");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The user name &#x27;bob&#x27; is already taken.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Missing_fields_short_passwords_and_mismatches_are_explained_next_to_the_form()
    {
        using var browser = server.CreateBrowser();

        var empty = await (await browser.RegisterAsync("", "")).Content.ReadAsStringAsync();
        Assert.Contains("The User name field is required.", empty);
        Assert.Contains("The Password field is required.", empty);

        var mismatch = await (await browser.RegisterAsync("carol", "long enough 1", "long enough 2")).Content.ReadAsStringAsync();
        Assert.Contains("The passwords do not match.", mismatch);

        var shortPassword = await (await browser.RegisterAsync("carol", "short")).Content.ReadAsStringAsync();
        Assert.Contains("The password must be at least 8 characters long.", shortPassword);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }
}
