using System.Net;
using System.Text.RegularExpressions;
using Lab.Web.Accounts;
using Lab.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Lab.Web.Tests.Classes;

/// <summary>What the class tests do through the pages, as a user would: sign up with a role, create a class,
/// read its code, join it.</summary>
internal static partial class ClassSteps
{
    [GeneratedRegex("data-join-code>([A-Z0-9-]+)<")]
    private static partial Regex JoinCode();

    /// <summary>Signs up, gives the account <paramref name="role"/>, and signs in again so the cookie carries it.</summary>
    public static async Task<TestBrowser> SignUpAsync(LabTestServer server, string userName, string role)
    {
        using (await server.CreateBrowser().SignUpAsync(userName))
        {
            using var scope = server.Services.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<LabUser>>();
            var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"no user {userName}");
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        }

        var browser = server.CreateBrowser();
        using var signIn = await browser.SignInAsync(userName);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return browser;
    }

    public static Task<HttpResponseMessage> SubmitCreateAsync(this TestBrowser instructor, string name, string slug = "") =>
        instructor.SubmitAsync("/classes/new", new Dictionary<string, string> { ["Form.Name"] = name, ["Form.Slug"] = slug });

    /// <summary>Creates the class and returns its slug (from the redirect) and join code (from its page).</summary>
    public static async Task<(string Slug, string Code)> CreateClassAsync(this TestBrowser instructor, string name, string slug = "")
    {
        using var created = await instructor.SubmitCreateAsync(name, slug);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var path = created.Headers.Location!.OriginalString;
        return (path["/classes/".Length..], await instructor.ReadCodeAsync(path));
    }

    public static async Task<string> ReadCodeAsync(this TestBrowser instructor, string classPath)
    {
        var match = JoinCode().Match(await instructor.GetPageAsync(classPath));
        Assert.True(match.Success, $"no join code on {classPath}");
        return match.Groups[1].Value;
    }

    public static Task<HttpResponseMessage> SubmitJoinAsync(this TestBrowser student, string code) =>
        student.SubmitAsync("/classes/join", new Dictionary<string, string> { ["Code"] = code });

    public static async Task JoinAsync(this TestBrowser student, string code)
    {
        using var joined = await student.SubmitJoinAsync(code);
        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
    }

    public static async Task<string> UserIdAsync(this LabTestServer server, string userName)
    {
        using var scope = server.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LabUser>>();
        return (await users.FindByNameAsync(userName))?.Id ?? throw new InvalidOperationException($"no user {userName}");
    }

    /// <summary>Posts one of the class page's forms (handler Regenerate, AddInstructor or Remove).</summary>
    public static Task<HttpResponseMessage> SubmitOnClassPageAsync(this TestBrowser browser, string slug, string handler,
        IDictionary<string, string> fields) =>
        browser.SubmitAsync($"/classes/{slug}", fields, action: $"/classes/{slug}?handler={handler}");
}
