using System.Net;
using Lab.Web.Accounts;
using Lab.Web.Tests.Support;

namespace Lab.Web.Tests.Classes;

/// <summary>The /classes pages against a real server and SQLite file: creating, joining, managing members.</summary>
public sealed class ClassPagesTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private LabTestServer Server => fixture.Server;

    [Fact]
    public async Task An_instructor_creates_a_class_named_from_its_title_and_sees_its_code()
    {
        using var prof = await ClassSteps.SignUpAsync(Server, "prof-create", LabRoles.Instructor);

        var (slug, code) = await prof.CreateClassAsync("Docker — Groupe Été");

        Assert.Equal("docker-groupe-ete", slug);
        Assert.Matches("^[A-Z0-9]{4}-[A-Z0-9]{4}$", code);
        var list = await prof.GetPageAsync("/classes");
        Assert.Contains("Classes you teach", list);
        Assert.Contains("<a href=\"/classes/docker-groupe-ete\">Docker — Groupe Été</a>", list);
        Assert.DoesNotContain("You have not joined a class yet.", list); // that advice is for students
    }

    [Fact]
    public async Task A_student_joins_with_the_code_typed_loosely_and_sees_the_class()
    {
        using var prof = await ClassSteps.SignUpAsync(Server, "prof-join", LabRoles.Instructor);
        var (slug, code) = await prof.CreateClassAsync("Join me", "join-me");
        using var student = await Server.CreateBrowser().SignUpAsync("student-join");

        using var joined = await student.SubmitJoinAsync(" " + code.Replace("-", " ").ToLowerInvariant());

        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        Assert.Equal("/classes", joined.Headers.Location?.OriginalString);
        var list = await student.GetPageAsync("/classes");
        Assert.Contains("You joined Join me.", list);
        Assert.Contains($"<a href=\"/classes/{slug}\">Join me</a>", list);
        var page = await student.GetPageAsync($"/classes/{slug}");
        Assert.Contains("prof-join", page);
        Assert.DoesNotContain(code, page); // the code is for instructors to hand out
        Assert.Contains("student-join", await prof.GetPageAsync($"/classes/{slug}"));
    }

    [Fact]
    public async Task An_unknown_code_and_joining_twice_are_explained_next_to_the_form()
    {
        using var prof = await ClassSteps.SignUpAsync(Server, "prof-twice", LabRoles.Instructor);
        var (_, code) = await prof.CreateClassAsync("Twice");
        using var student = await Server.CreateBrowser().SignUpAsync("student-twice");
        await student.JoinAsync(code);

        using var unknown = await student.SubmitJoinAsync("QQQQ-QQQQ");
        using var garbage = await student.SubmitJoinAsync("not a code");
        using var again = await student.SubmitJoinAsync(code);
        using var empty = await student.SubmitJoinAsync("");

        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("No class has this code. Check it with your instructor.", await unknown.Content.ReadAsStringAsync());
        Assert.Contains("No class has this code.", await garbage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("You are already a member of Twice.", await again.Content.ReadAsStringAsync());
        Assert.Contains("The Class code field is required.", await empty.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_student_cannot_create_a_class()
    {
        using var student = await Server.CreateBrowser().SignUpAsync("student-create");

        using var form = await student.GetAsync("/classes/new");

        Assert.Equal(HttpStatusCode.Redirect, form.StatusCode);
        Assert.StartsWith("/status/403", form.Headers.Location?.PathAndQuery);
        Assert.DoesNotContain("/classes/new", await student.GetPageAsync("/classes"));
    }

    [Fact]
    public async Task Short_names_of_users_of_the_library_and_of_other_classes_are_taken_and_bad_ones_invalid()
    {
        using var prof = await ClassSteps.SignUpAsync(Server, "prof-slugs", LabRoles.Instructor);
        await prof.CreateClassAsync("First", "slug-first");

        foreach (var (slug, message) in new[]
                 {
                     ("prof-slugs", "The short name &#x27;prof-slugs&#x27; is already taken."), // a user's registry namespace
                     ("library", "The short name &#x27;library&#x27; is already taken."),
                     ("slug-first", "The short name &#x27;slug-first&#x27; is already taken."),
                     ("Bad Slug", "The short name &#x27;Bad Slug&#x27; is invalid"),
                 })
        {
            using var response = await prof.SubmitCreateAsync("Another", slug);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(message, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_new_account_cannot_take_the_name_of_a_class()
    {
        using var prof = await ClassSteps.SignUpAsync(Server, "prof-names", LabRoles.Instructor);
        await prof.CreateClassAsync("Named", "named-class");

        using var browser = Server.CreateBrowser();
        using var response = await browser.RegisterAsync("Named-Class");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The user name &#x27;Named-Class&#x27; is already taken.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_co_instructor_is_added_by_user_name_only_if_the_account_teaches()
    {
        using var prof = await ClassSteps.SignUpAsync(Server, "prof-main", LabRoles.Instructor);
        using var colleague = await ClassSteps.SignUpAsync(Server, "prof-colleague", LabRoles.Instructor);
        using var student = await Server.CreateBrowser().SignUpAsync("student-co");
        var (slug, code) = await prof.CreateClassAsync("Shared", "shared-class");

        async Task<string> AddAsync(string name)
        {
            using var response = await prof.SubmitOnClassPageAsync(slug, "AddInstructor", new Dictionary<string, string> { ["InstructorName"] = name });
            return response.StatusCode == HttpStatusCode.Redirect ? "added" : await response.Content.ReadAsStringAsync();
        }

        Assert.Contains("No account is named &#x27;nobody-here&#x27;.", await AddAsync("nobody-here"));
        Assert.Contains("&#x27;student-co&#x27; is not an instructor account.", await AddAsync("student-co"));
        Assert.Equal("added", await AddAsync("prof-colleague"));
        Assert.Contains("&#x27;prof-colleague&#x27; already teaches this class.", await AddAsync("prof-colleague"));
        Assert.Equal(code, await colleague.ReadCodeAsync($"/classes/{slug}"));
        Assert.Contains("Classes you teach", await colleague.GetPageAsync("/classes"));
    }

    [Fact]
    public async Task Removing_a_student_and_regenerating_the_code()
    {
        using var prof = await ClassSteps.SignUpAsync(Server, "prof-manage", LabRoles.Instructor);
        using var student = await Server.CreateBrowser().SignUpAsync("student-removed");
        using var late = await Server.CreateBrowser().SignUpAsync("student-late");
        var (slug, code) = await prof.CreateClassAsync("Managed", "managed-class");
        await student.JoinAsync(code);
        var studentId = await Server.UserIdAsync("student-removed");

        using var removed = await prof.SubmitOnClassPageAsync(slug, "Remove", new Dictionary<string, string> { ["userId"] = studentId });
        using var regenerated = await prof.SubmitOnClassPageAsync(slug, "Regenerate", new Dictionary<string, string>());
        var newCode = await prof.ReadCodeAsync($"/classes/{slug}");

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await student.GetAsync($"/classes/{slug}")).StatusCode);
        Assert.DoesNotContain("student-removed", await prof.GetPageAsync($"/classes/{slug}"));
        Assert.Equal(HttpStatusCode.Redirect, regenerated.StatusCode);
        Assert.NotEqual(code, newCode);
        Assert.Contains("No class has this code.", await (await late.SubmitJoinAsync(code)).Content.ReadAsStringAsync());
        await late.JoinAsync(newCode);
    }

    [Fact]
    public async Task A_class_is_hidden_from_outsiders_and_its_students_cannot_manage_it()
    {
        using var prof = await ClassSteps.SignUpAsync(Server, "prof-hidden", LabRoles.Instructor);
        using var otherProf = await ClassSteps.SignUpAsync(Server, "prof-outsider", LabRoles.Instructor);
        using var student = await Server.CreateBrowser().SignUpAsync("student-member");
        var (slug, code) = await prof.CreateClassAsync("Hidden", "hidden-class");
        await student.JoinAsync(code);

        using var outsider = await otherProf.GetAsync($"/classes/{slug}");
        using var regenerate = await student.SubmitOnClassPageAsync(slug, "Regenerate", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.NotFound, outsider.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, regenerate.StatusCode);
        Assert.StartsWith("/status/403", regenerate.Headers.Location?.PathAndQuery);
        Assert.Equal(code, await prof.ReadCodeAsync($"/classes/{slug}"));
    }

    [Fact]
    public async Task An_admin_sees_and_manages_every_class()
    {
        using var prof = await ClassSteps.SignUpAsync(Server, "prof-admin-view", LabRoles.Instructor);
        using var admin = await ClassSteps.SignUpAsync(Server, "root-classes", LabRoles.Admin);
        var (slug, code) = await prof.CreateClassAsync("Seen by admin", "seen-by-admin");

        Assert.Contains($"<a href=\"/classes/{slug}\">Seen by admin</a>", await admin.GetPageAsync("/classes"));
        Assert.Contains("All classes", await admin.GetPageAsync("/classes"));
        Assert.Equal(code, await admin.ReadCodeAsync($"/classes/{slug}"));
        Assert.DoesNotContain("All classes", await prof.GetPageAsync("/classes"));
    }

    [Fact]
    public async Task The_pages_speak_french_to_a_french_browser()
    {
        using var student = await Server.CreateBrowser().SignUpAsync("etudiant");
        student.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");

        var list = await student.GetPageAsync("/classes");
        using var unknown = await student.SubmitJoinAsync("QQQQ-QQQQ");

        Assert.Contains("<h1>Classes</h1>", list);
        Assert.Contains("Rejoindre une classe", list);
        Assert.Contains("Aucune classe n&#x27;a ce code. Vérifiez-le auprès de votre enseignant.", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_header_links_to_the_classes()
    {
        using var student = await Server.CreateBrowser().SignUpAsync("student-nav");

        Assert.Contains("<a href=\"/classes\">Classes</a>", await student.GetPageAsync("/"));
    }
}
