using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;

namespace Lab.Web.Tests.Support;

/// <summary>An HTTP client that behaves like a browser where the tests need it to: it keeps cookies, sends the
/// antiforgery token with forms, and does not follow redirects (tests look at them).</summary>
public sealed partial class TestBrowser : IDisposable
{
    public const string Password = "correct horse battery";

    private readonly HttpClient http;

    public TestBrowser(Uri baseAddress)
    {
        BaseAddress = baseAddress;
        http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http => http;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(path);

    public async Task<string> GetPageAsync(string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Loads the page with the form, then posts it with the page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string formPage, IDictionary<string, string> fields, string? action = null)
    {
        using var page = await http.GetAsync(formPage);
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        Assert.True(token.Success, $"no antiforgery token on {formPage} ({(int)page.StatusCode})");
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token.Groups[1].Value };
        return await http.PostAsync(action ?? formPage, new FormUrlEncodedContent(form));
    }

    public async Task<HttpResponseMessage> RegisterAsync(string userName, string password = Password, string? confirm = null) =>
        await SubmitAsync("/register", new Dictionary<string, string>
        {
            ["Form.UserName"] = userName,
            ["Form.Password"] = password,
            ["Form.ConfirmPassword"] = confirm ?? password,
        });

    /// <summary>Registers and checks that it worked (redirected home, signed in).</summary>
    public async Task<TestBrowser> SignUpAsync(string userName)
    {
        using var response = await RegisterAsync(userName);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return this;
    }

    public async Task<HttpResponseMessage> SignInAsync(string userName, string password = Password) =>
        await SubmitAsync("/signin", new Dictionary<string, string>
        {
            ["Form.UserName"] = userName,
            ["Form.Password"] = password,
        });

    /// <summary>The machine name the lesson page gives this user.</summary>
    public async Task<string> OwnMachineAsync()
    {
        var html = await GetPageAsync($"/courses/{TestCourse.Id}/{TestCourse.LessonSlug}");
        return Regex.Match(html, "data-machine=\"([^\"]+)\"").Groups[1].Value;
    }

    /// <summary>Opens /ws/term/{machine} with this browser's cookies and the given Origin (this server's own
    /// unless told otherwise).</summary>
    public async Task<(ClientWebSocket Socket, HttpStatusCode Status)> OpenTerminalAsync(string machine, string? origin = "self")
    {
        var socket = new ClientWebSocket();
        socket.Options.Cookies = Cookies;
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin == "self" ? BaseAddress.GetLeftPart(UriPartial.Authority) : origin);
        }

        var uri = new UriBuilder(BaseAddress) { Scheme = "ws", Path = $"/ws/term/{machine}" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // The handshake was refused: the status says why.
        }

        return (socket, socket.HttpStatusCode);
    }

    public void Dispose() => http.Dispose();
}
