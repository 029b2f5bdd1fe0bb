using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary>The request parsers under hostile input (extends <see cref="MalformedRequestTests"/>): malformed and
/// huge bodies, wrong JSON types, unicode and path traversal in names, references and ids, absurd query values.
/// Each must be a clear 4xx in dockerd's error form (<c>{"message": …}</c>), never a 500; afterwards the server
/// still answers and nothing was written outside its directories.</summary>
public sealed class FuzzTests(EngineMachineFixture machine) : IClassFixture<EngineMachineFixture>
{
    /// <summary>Put in every traversal attempt: a file or directory with this in its name must never appear.</summary>
    const string Marker = "labfuzzmarker";

    const string Target = "fuzz-target";

    EngineTestServer Server => machine.Server;

    public static TheoryData<string, string> Bodies => new()
    {
        { "/containers/create", "{\"Image\":\"busybox\"" },
        { "/containers/create", "nul" },
        { "/containers/create", "\"busybox\"" },
        { "/containers/create", "{\"Image\":[\"busybox\"]}" },
        { "/containers/create", "{\"Image\":\"busybox\",\"Env\":{\"A\":\"B\"}}" },
        { "/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":[]}" },
        { "/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":-5}}" },
        { "/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"NanoCpus\":99999999999999999999999}}" },
        { "/containers/create", "{\"Image\":\"busybox\",\"StopTimeout\":1e400}" },
        { "/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":80}]}}}" },
        { "/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"PortBindings\":{\"99999/tcp\":[{\"HostPort\":\"99999\"}]}}}" },
        { "/containers/create", "{\"Image\":\"busybox\",\"Labels\":{\"a\":\"\\ud800\"}}" },
        { "/containers/create", "{\"Image\":\"../../" + Marker + "\"}" },
        { "/containers/create", "{\"Image\":\"busybox\",\"WorkingDir\":\"relative/../" + Marker + "\"}" },
        { "/containers/create", new string('[', 5000) + new string(']', 5000) },
        { "/containers/create?name=..%2F..%2F" + Marker, "{\"Image\":\"busybox\"}" },
        { "/containers/create?name=%2e%2e", "{\"Image\":\"busybox\"}" },
        { "/containers/create?name=%E2%80%AE" + Marker, "{\"Image\":\"busybox\"}" },
        { "/containers/create?name=a%00b", "{\"Image\":\"busybox\"}" },
        { "/auth", "not json" },
        { "/auth", "[]" },
        { "/auth", "{\"username\":{},\"password\":\"x\"}" },
        { "/auth", "{\"username\":\"alice\",\"password\":\"x\",\"serveraddress\":\"../../" + Marker + "\"}" },
        { "/containers/" + Target + "/exec", "{\"Cmd\":\"not a list\",\"AttachStdout\":\"yes\"}" },
        { "/containers/" + Target + "/exec", "{" },
        { "/exec/..%2F..%2F" + Marker + "/start", "{\"Detach\":true}" },
    };

    public static TheoryData<string, string> Requests => new()
    {
        { "GET", "/containers/..%2F..%2Fetc/json" },
        { "GET", "/containers/%2e%2e/json" },
        { "POST", "/containers/%2e%2e%2f%2e%2e/start" },
        { "DELETE", "/containers/..%2F..%2F" + Marker },
        { "GET", "/containers/json?limit=99999999999999999999&filters=%7B%22status%22%3A%5B%22nope%22%5D%7D" },
        { "GET", "/containers/json?filters=%7B" },
        { "GET", "/containers/json?filters=%7B%22id%22%3A%22notalist%22%7D" },
        { "POST", "/containers/" + Target + "/kill?signal=SIGNOPE" },
        { "POST", "/containers/" + Target + "/kill?signal=99999" },
        { "GET", "/containers/" + Target + "/logs?stdout=1&since=abc" },
        { "POST", "/containers/" + Target + "/wait?condition=bogus" },
        { "POST", "/containers/" + Target + "/rename?name=..%2F..%2F" + Marker },
        { "POST", "/containers/" + Target + "/resize?h=-1&w=99999999999" },
        { "POST", "/images/create?fromImage=..%2F..%2F" + Marker },
        { "POST", "/images/create?fromImage=%2e%2e%2f" + Marker },
        { "POST", "/images/create?fromImage=busybox&tag=..%2F..%2F" + Marker },
        { "POST", "/images/create?fromImage=" + new string('a', 5000) },
        { "POST", "/images/busybox/tag?repo=..%2F..%2F" + Marker + "&tag=x" },
        { "POST", "/images/busybox/tag?repo=" + Marker + "&tag=..%2F..%2Fx" },
        { "POST", "/images/busybox/tag?repo=%C3%9Cnicode&tag=1" },
        { "POST", "/images/..%2F..%2F" + Marker + "/push" },
        { "POST", "/images/%2e%2e%2f" + Marker + "/push?tag=1" },
        { "POST", "/images/busybox/push?tag=..%2F" + Marker },
        { "DELETE", "/images/..%2F..%2Fetc" },
        { "GET", "/images/..%2F..%2Fetc/get" },
        { "GET", "/images/get?names=..%2F..%2Fetc" },
        { "GET", "/images/..%2F..%2Fetc/history" },
        { "GET", "/images/json?filters=%5B%5D" },
        { "GET", "/images/search?term=..%2F..%2F" + Marker },
        { "GET", "/images/search?term=x&limit=-1" },
        { "GET", "/exec/..%2F..%2F" + Marker + "/json" },
        { "GET", "/events?since=abc" },
        { "GET", "/events?until=1e999" },
        { "GET", "/events?since=99999999999999999999999999999" },
        { "GET", "/events?since=1&until=-5" },
        { "GET", "/events?since=99999999999999999999" },
        { "GET", "/events?since=999999999999h" },
        { "GET", "/containers/" + Target + "/logs?stdout=1&since=99999999999999999999" },
        { "GET", "/containers/" + Target + "/logs?stdout=1&until=99999999999999999999" },
        { "GET", "/events?filters=%5B%5D" },
        { "GET", "/events?filters=%7B%22container%22%3A%22x%22%7D" },
        { "GET", "/system/df?type=..%2F..%2F" + Marker },
        { "GET", "/v1.99999999999999999999/version" },
        { "GET", "/vabc/version" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Malformed_bodies_are_clear_4xx(string path, string body)
    {
        await EnsureTargetAsync();
        using var response = await Server.Http.PostAsync("/v1.50" + path, new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertClientErrorAsync(response);
        await AssertStillServingAsync();
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Strange_names_ids_and_query_values_are_clear_4xx(string method, string path)
    {
        await EnsureTargetAsync();
        using var response = await Server.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await AssertClientErrorAsync(response);
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("/containers/create", 40 << 20)]
    [InlineData("/auth", 1 << 20)]
    public async Task Huge_bodies_without_a_length_are_refused(string path, int size)
    {
        // Chunked, so no Content-Length check can see it coming: the server's body bound must stop it.
        var content = new StreamContent(new RepeatingStream("{\"Image\":\"busybox\",\"Env\":[\"", size));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        try
        {
            using var response = await Server.Http.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest,
                $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        catch (HttpRequestException)
        {
            // the server may answer and close before the client has finished sending: refused all the same
        }
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task An_until_centuries_away_streams_like_no_until()
    {
        using var response = await Server.Http.GetAsync("/v1.50/events?since=1&until=99999999999", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Nothing_is_written_outside_the_servers_directories()
    {
        foreach (var (path, body) in Bodies.Select(row => ((string)row[0], (string)row[1])))
            (await Server.Http.PostAsync("/v1.50" + path, new StringContent(body, Encoding.UTF8, "application/json"))).Dispose();
        foreach (var (method, path) in Requests.Select(row => ((string)row[0], (string)row[1])))
            (await Server.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).Dispose();

        var places = new[] { "/", "/etc", "/tmp", Path.GetTempPath(), Path.GetDirectoryName(Server.Root)!, Server.Runtime.ImagesDir };
        var leaked = places.Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateFileSystemEntries(dir))
            .Concat(Directory.EnumerateFileSystemEntries(Server.Root, "*", SearchOption.AllDirectories))
            .Where(p => p.Contains(Marker, StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.Empty(leaked);
        var names = Path.Combine(Server.Runtime.ImagesDir, "names");
        Assert.DoesNotContain(Directory.Exists(names) ? Directory.EnumerateFiles(names) : [], f => File.ReadAllText(f).Contains(Marker));
    }

    async Task EnsureTargetAsync()
    {
        using var response = await Server.Http.PostAsync($"/v1.50/containers/create?name={Target}",
            new StringContent("{\"Image\":\"busybox\",\"Cmd\":[\"true\"]}", Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }

    static async Task AssertClientErrorAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode} {body}");
        var message = JsonDocument.Parse(body).RootElement.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
    }

    async Task AssertStillServingAsync()
    {
        using var ping = await Server.Http.GetAsync("/_ping");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
    }

    /// <summary>A JSON-looking prefix, then 'x' until <paramref name="length"/> bytes, generated as read.</summary>
    sealed class RepeatingStream(string prefix, long length) : Stream
    {
        readonly byte[] _prefix = Encoding.UTF8.GetBytes(prefix);
        long _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++, _position++)
                buffer[offset + i] = _position < _prefix.Length ? _prefix[_position] : (byte)'x';
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
