using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Lab.Web.Tests.Classes;
using Lab.Web.Tests.Courses;
using Lab.Web.Tests.Support;

namespace Lab.Web.Tests.Preview;

/// <summary>The preview proxy with a real lab machine running nginx and a python app, each published with -p:
/// who may open them, what the apps see, and what the browser gets back.</summary>
public sealed class PreviewProxyTests(PreviewFixture fixture) : IClassFixture<PreviewFixture>
{
    private PreviewServer Preview => fixture.Preview;

    private string App(string path) => $"/preview/{Preview.Machine}/{PreviewFixture.AppPort}{path}";

    [Fact]
    public async Task The_owner_gets_the_nginx_page()
    {
        using var response = await Preview.Owner.GetAsync($"/preview/{Preview.Machine}/{PreviewFixture.NginxPort}/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>Welcome to nginx!</h1>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_prefix_without_a_slash_redirects_to_the_app_folder()
    {
        using var response = await Preview.Owner.GetAsync($"/preview/{Preview.Machine}/{PreviewFixture.NginxPort}?x=1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/preview/{Preview.Machine}/{PreviewFixture.NginxPort}/?x=1", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Another_student_is_refused()
    {
        using var other = await Preview.Server.CreateBrowser().SignUpAsync("someone-else");

        using var response = await other.GetAsync($"/preview/{Preview.Machine}/{PreviewFixture.NginxPort}/");
        using var unknown = await other.GetAsync($"/preview/no-such-machine/{PreviewFixture.NginxPort}/");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("nginx", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode); // existence of machines is not revealed
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in()
    {
        using var anonymous = Preview.Server.CreateBrowser();

        using var response = await anonymous.GetAsync($"/preview/{Preview.Machine}/{PreviewFixture.NginxPort}/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_instructor_of_the_owner_s_class_opens_the_app_and_an_admin_gets_404_for_an_unknown_machine()
    {
        using var instructor = await Instructors.SignUpAsync(Preview.Server, "prof-preview");
        var (_, code) = await instructor.CreateClassAsync("Preview", "preview-class");
        await Preview.Owner.JoinAsync(code);
        using var admin = await ClassSteps.SignUpAsync(Preview.Server, "admin-preview", Lab.Web.Accounts.LabRoles.Admin);

        using var response = await instructor.GetAsync($"/preview/{Preview.Machine}/{PreviewFixture.NginxPort}/");
        using var unknown = await admin.GetAsync($"/preview/no-such-machine/{PreviewFixture.NginxPort}/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no-such-machine", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_port_nothing_listens_on_is_a_502_page_in_the_visitor_language()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/preview/{Preview.Machine}/9999/");
        request.Headers.AcceptLanguage.ParseAdd("fr");

        using var response = await Preview.Owner.Http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains($"Rien ne répond sur le port 9999 de {Preview.Machine}.", html);
        Assert.Contains("<html lang=\"fr\">", html);
    }

    [Fact]
    public async Task Redirects_are_moved_under_the_prefix()
    {
        using var absolutePath = await Preview.Owner.GetAsync(App("/redirect"));
        using var absoluteUrl = await Preview.Owner.GetAsync(App("/absolute-redirect"));
        using var relative = await Preview.Owner.GetAsync(App("/relative-redirect"));

        Assert.Equal(HttpStatusCode.Redirect, absolutePath.StatusCode);
        Assert.Equal(App("/landing"), absolutePath.Headers.Location?.OriginalString);
        Assert.Equal(App("/landing?from=absolute"), absoluteUrl.Headers.Location?.OriginalString);
        Assert.Equal("landing", relative.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Cookies_of_the_app_get_the_prefix_path_and_cannot_replace_the_session()
    {
        using var response = await Preview.Owner.GetAsync(App("/redirect"));

        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Equal([$"app=1; Path=/preview/{Preview.Machine}/{PreviewFixture.AppPort}/; HttpOnly"], cookies);
        using var page = await Preview.Owner.GetAsync($"/courses/{TestCourse.Id}/{TestCourse.LessonSlug}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode); // still signed in
    }

    [Fact]
    public async Task The_app_never_sees_the_session_cookie_and_gets_forwarded_headers()
    {
        Preview.Owner.Cookies.Add(Preview.Server.BaseAddress, new Cookie("mine", "2"));

        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(await Preview.Owner.Http.GetStringAsync(App("/headers")))!;

        Assert.Equal($"localhost:{PreviewFixture.AppPort}", headers["Host"]);
        Assert.Contains("mine=2", headers["Cookie"]);
        Assert.DoesNotContain("lab.session", headers["Cookie"]);
        Assert.DoesNotContain(".AspNetCore.", headers["Cookie"]);
        Assert.Equal($"/preview/{Preview.Machine}/{PreviewFixture.AppPort}", headers["X-Forwarded-Prefix"]);
        Assert.Equal("http", headers["X-Forwarded-Proto"]);
        Assert.Equal(Preview.Server.BaseAddress.Authority, headers["X-Forwarded-Host"]);
        Assert.Equal("127.0.0.1", headers["X-Forwarded-For"]);
        Assert.Contains(Preview.Owner.Cookies.GetCookies(Preview.Server.BaseAddress), c => c.Name == "lab.session");
    }

    [Fact]
    public async Task A_chunked_upload_and_a_large_chunked_download_are_streamed_through()
    {
        var upload = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        using var content = new StreamContent(new MemoryStream(upload)); // no length: sent chunked
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var posted = await Preview.Owner.Http.PostAsync(App("/upload"), content);

        Assert.Equal($"{Convert.ToHexStringLower(SHA256.HashData(upload))} {upload.Length}", await posted.Content.ReadAsStringAsync());

        const long size = 64L * 1024 * 1024;
        using var download = await Preview.Owner.Http.GetAsync(App($"/bytes/{size}"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.True(download.Headers.TransferEncodingChunked);
        await using var body = await download.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        Assert.Equal(size, total);
    }

    [Fact]
    public async Task Error_statuses_of_the_app_reach_the_browser_as_the_app_sent_them()
    {
        using var response = await Preview.Owner.GetAsync($"/preview/{Preview.Machine}/{PreviewFixture.NginxPort}/missing.html");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nginx", await response.Content.ReadAsStringAsync()); // nginx's own 404 page, not Lab's
    }
}
