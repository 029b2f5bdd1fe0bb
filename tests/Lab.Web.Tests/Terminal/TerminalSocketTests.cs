using System.Net;
using Lab.Web.Tests.Support;

namespace Lab.Web.Tests.Terminal;

/// <summary>/ws/term against real machines (busybox image): who may open which terminal, and what the
/// browser receives.</summary>
public sealed class TerminalSocketTests : IAsyncLifetime
{
    private LabTestServer server = null!;

    public async Task InitializeAsync() => server = await LabTestServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task The_owner_gets_a_shell_in_their_machine_and_a_reconnect_replays_the_screen()
    {
        using var browser = await server.CreateBrowser().SignUpAsync("erin");
        var machine = await browser.OwnMachineAsync();
        Assert.StartsWith("erin-", machine);

        var (socket, status) = await browser.OpenTerminalAsync(machine);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        var terminal = new TerminalClient(socket);
        await terminal.WaitForAsync(t => t.HasMessage("ready"), "the ready message");
        await terminal.ResizeAsync(100, 30);
        await terminal.SendAsync("echo from-$(hostname) cols=$(stty size)\r");
        await terminal.WaitForAsync(t => t.Screen.Contains($"from-{machine} cols=30 100"), "the command's output");
        await terminal.CloseAsync();

        // Closing the tab only detached: the same shell is still there and its output comes back first.
        var (again, _) = await browser.OpenTerminalAsync(machine);
        var reconnected = new TerminalClient(again);
        await reconnected.WaitForAsync(t => t.Screen.Contains($"from-{machine} cols=30 100"), "the scrollback");
        await reconnected.SendAsync("echo $$ > /tmp/shell-pid; echo still-$((40+2))\r");
        await reconnected.WaitForAsync(t => t.Screen.Contains("still-42"), "the same shell answering");
        await reconnected.CloseAsync();
    }

    [Fact]
    public async Task When_the_shell_exits_the_browser_is_told_and_the_next_connection_starts_a_new_one()
    {
        using var browser = await server.CreateBrowser().SignUpAsync("fred");
        var machine = await browser.OwnMachineAsync();

        var terminal = new TerminalClient((await browser.OpenTerminalAsync(machine)).Socket);
        await terminal.WaitForAsync(t => t.HasMessage("ready"), "the ready message");
        await terminal.SendAsync("exit 3\r");
        await terminal.WaitForAsync(t => t.HasMessage("exit"), "the exit message");
        var exit = terminal.Messages.Single(m => m.GetProperty("type").GetString() == "exit");
        Assert.Equal(3, exit.GetProperty("code").GetInt32());
        await terminal.CloseAsync();

        var fresh = new TerminalClient((await browser.OpenTerminalAsync(machine)).Socket);
        await fresh.WaitForAsync(t => t.HasMessage("ready"), "a new shell");
        await fresh.SendAsync("echo new-shell-$((1+1))\r");
        await fresh.WaitForAsync(t => t.Screen.Contains("new-shell-2"), "the new shell's output");
        await fresh.CloseAsync();
    }

    [Fact]
    public async Task Another_users_machine_is_not_found_whatever_the_url()
    {
        using var alice = await server.CreateBrowser().SignUpAsync("alice");
        using var mallory = await server.CreateBrowser().SignUpAsync("mallory");
        var alicesMachine = await alice.OwnMachineAsync();
        await mallory.OwnMachineAsync();

        var (socket, status) = await mallory.OpenTerminalAsync(alicesMachine);

        Assert.Equal(HttpStatusCode.NotFound, status);
        socket.Dispose();
        Assert.Null(server.Machines.Find(alicesMachine)); // nobody started it on mallory's behalf
    }

    [Fact]
    public async Task A_foreign_origin_is_refused_with_the_reason()
    {
        using var browser = await server.CreateBrowser().SignUpAsync("gina");
        var machine = await browser.OwnMachineAsync();

        var (foreign, foreignStatus) = await browser.OpenTerminalAsync(machine, origin: "http://evil.example");
        var (missing, missingStatus) = await browser.OpenTerminalAsync(machine, origin: null);

        Assert.Equal(HttpStatusCode.Forbidden, foreignStatus);
        Assert.Equal(HttpStatusCode.Forbidden, missingStatus);
        foreign.Dispose();
        missing.Dispose();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/ws/term/{machine}");
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Add("Connection", "Upgrade");
        request.Headers.Add("Upgrade", "websocket");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(new byte[16]));
        using var response = await browser.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains($"Origin 'http://evil.example' does not match this server ({browser.BaseAddress.GetLeftPart(UriPartial.Authority)})",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_a_valid_session_the_handshake_gets_401()
    {
        using var browser = server.CreateBrowser();
        browser.Cookies.Add(browser.BaseAddress, new Cookie("lab.session", "CfDJ8expired"));

        var (socket, status) = await browser.OpenTerminalAsync("anyone-abc123");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        socket.Dispose();
    }

    [Fact]
    public async Task An_invalid_machine_name_is_a_bad_request_with_the_naming_rule()
    {
        using var browser = await server.CreateBrowser().SignUpAsync("hugo");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/ws/term/Not_A_Name");
        request.Headers.Add("Origin", browser.BaseAddress.GetLeftPart(UriPartial.Authority));
        request.Headers.Add("Connection", "Upgrade");
        request.Headers.Add("Upgrade", "websocket");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(new byte[16]));
        using var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid machine name 'Not_A_Name'", await response.Content.ReadAsStringAsync());
    }
}
