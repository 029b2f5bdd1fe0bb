using Lab.Engine.Registry.Auth;
using Lab.Engine.Registry.Server;
using Lab.Web.Accounts;
using Lab.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Lab.Web.Tests.Classes;

/// <summary>The classroom registry's namespaces over the real accounts database (<see cref="RegistryAccounts"/>):
/// a class's slug is its namespace, pushed into by its instructors only.</summary>
public sealed class RegistryNamespacesTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private LabTestServer Server => fixture.Server;

    private async Task<T> WithAccountsAsync<T>(Func<IRegistryAccounts, Task<T>> use)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<IRegistryAccounts>());
    }

    private Task<bool> MayPushAsync(string userName, string[] roles, string repo) =>
        WithAccountsAsync(accounts => new RegistryPolicy(accounts)
            .AllowsAsync(new RegistryUser(userName, roles), RepositoryName.Parse(repo), RegistryAction.Push, CancellationToken.None));

    [Fact]
    public async Task A_namespace_is_a_user_s_a_class_s_with_its_instructors_or_nobody_s()
    {
        using var prof = await ClassSteps.SignUpAsync(Server, "Prof-Owner", LabRoles.Instructor);
        using var colleague = await ClassSteps.SignUpAsync(Server, "prof-second", LabRoles.Instructor);
        var (slug, _) = await prof.CreateClassAsync("Namespaced", "namespaced");
        await prof.SubmitOnClassPageAsync(slug, "AddInstructor", new Dictionary<string, string> { ["InstructorName"] = "prof-second" });

        var user = await WithAccountsAsync(a => a.FindOwnerAsync("prof-owner", CancellationToken.None));
        var classroom = await WithAccountsAsync(a => a.FindOwnerAsync("namespaced", CancellationToken.None));
        var nobody = await WithAccountsAsync(a => a.FindOwnerAsync("no-such-namespace", CancellationToken.None));

        Assert.Equal(NamespaceKind.User, user.Kind);
        Assert.Equal(NamespaceKind.Class, classroom.Kind);
        Assert.Equal(["Prof-Owner", "prof-second"], classroom.Instructors.Order(StringComparer.Ordinal));
        Assert.Equal(NamespaceKind.Unowned, nobody.Kind);
    }

    [Fact]
    public async Task Only_the_class_s_instructors_and_admins_push_into_its_namespace()
    {
        using var prof = await ClassSteps.SignUpAsync(Server, "prof-pushes", LabRoles.Instructor);
        using var other = await ClassSteps.SignUpAsync(Server, "prof-elsewhere", LabRoles.Instructor);
        using var student = await Server.CreateBrowser().SignUpAsync("student-pusher");
        var (_, code) = await prof.CreateClassAsync("Pushed", "pushed-class");
        await student.JoinAsync(code);

        Assert.True(await MayPushAsync("prof-pushes", [LabRoles.Instructor], "pushed-class/app"));
        Assert.True(await MayPushAsync("someone-admin", [LabRoles.Admin], "pushed-class/app"));
        Assert.False(await MayPushAsync("prof-elsewhere", [LabRoles.Instructor], "pushed-class/app"));
        Assert.False(await MayPushAsync("student-pusher", [LabRoles.Student], "pushed-class/app"));
        Assert.False(await MayPushAsync("prof-pushes", [LabRoles.Instructor], "no-class-here/app"));
        Assert.False(await MayPushAsync("prof-pushes", [LabRoles.Instructor], "student-pusher/app"));
        Assert.True(await MayPushAsync("prof-elsewhere", [LabRoles.Instructor], "library/app"));
    }
}
