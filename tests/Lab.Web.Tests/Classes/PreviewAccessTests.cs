using System.Net;
using Lab.Web.Accounts;
using Lab.Web.Tests.Support;

namespace Lab.Web.Tests.Classes;

/// <summary>The preview rule with classes: a machine's apps are for its owner, the instructors of the owner's
/// classes and admins. The owner's machine is not started: a request that passes the rule gets the "machine
/// not running" 404, one that does not gets 403 (so passing never needs a real app).</summary>
public sealed class PreviewAccessTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private LabTestServer Server => fixture.Server;

    private static string Preview(string machine) => $"/preview/{machine}/8080/";

    [Fact]
    public async Task The_instructor_of_the_owner_s_class_passes_and_the_instructor_of_another_class_gets_403()
    {
        using var teacher = await ClassSteps.SignUpAsync(Server, "prof-of-owner", LabRoles.Instructor);
        using var stranger = await ClassSteps.SignUpAsync(Server, "prof-of-others", LabRoles.Instructor);
        using var owner = await Server.CreateBrowser().SignUpAsync("preview-owner");
        using var classmate = await Server.CreateBrowser().SignUpAsync("preview-classmate");
        var (_, code) = await teacher.CreateClassAsync("Owner's class", "owners-class");
        var (_, otherCode) = await stranger.CreateClassAsync("Other class", "other-class");
        await owner.JoinAsync(code);
        await classmate.JoinAsync(otherCode);
        var machine = await owner.OwnMachineAsync();

        using var byTeacher = await teacher.GetAsync(Preview(machine));
        using var byStranger = await stranger.GetAsync(Preview(machine));
        using var byOwner = await owner.GetAsync(Preview(machine));

        Assert.Equal(HttpStatusCode.NotFound, byTeacher.StatusCode);
        Assert.Contains($"The lab machine {machine} is not running.", await byTeacher.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, byStranger.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOwner.StatusCode);
    }

    [Fact]
    public async Task A_removed_student_s_apps_are_closed_to_the_instructor_at_once()
    {
        using var teacher = await ClassSteps.SignUpAsync(Server, "prof-removes", LabRoles.Instructor);
        using var owner = await Server.CreateBrowser().SignUpAsync("preview-removed");
        var (slug, code) = await teacher.CreateClassAsync("Leaving", "leaving-class");
        await owner.JoinAsync(code);
        var machine = await owner.OwnMachineAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.GetAsync(Preview(machine))).StatusCode);

        var ownerId = await Server.UserIdAsync("preview-removed");
        using var removed = await teacher.SubmitOnClassPageAsync(slug, "Remove", new Dictionary<string, string> { ["userId"] = ownerId });

        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.GetAsync(Preview(machine))).StatusCode);
    }

    [Fact]
    public async Task An_admin_passes_for_any_machine_and_a_student_of_the_same_class_does_not()
    {
        using var admin = await ClassSteps.SignUpAsync(Server, "root-preview", LabRoles.Admin);
        using var teacher = await ClassSteps.SignUpAsync(Server, "prof-same-class", LabRoles.Instructor);
        using var owner = await Server.CreateBrowser().SignUpAsync("preview-owner-2");
        using var classmate = await Server.CreateBrowser().SignUpAsync("preview-classmate-2");
        var (_, code) = await teacher.CreateClassAsync("Same class", "same-class");
        await owner.JoinAsync(code);
        await classmate.JoinAsync(code);
        var machine = await owner.OwnMachineAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(Preview(machine))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await classmate.GetAsync(Preview(machine))).StatusCode);
    }
}
