using Lab.Web.Control;

namespace Lab.Web.Tests.Control;

public sealed class ExecStreamTests
{
    private static byte[] Frame(ExecStream.Kind kind, byte[] payload)
    {
        var header = new byte[ExecStream.HeaderSize];
        ExecStream.WriteHeader(header, kind, payload.Length);
        return [.. header, .. payload];
    }

    [Fact]
    public void The_header_has_dockers_stdcopy_layout()
    {
        var header = new byte[8];
        ExecStream.WriteHeader(header, ExecStream.Kind.Stderr, 0x01020304);

        Assert.Equal(new byte[] { 2, 0, 0, 0, 1, 2, 3, 4 }, header);
    }

    [Fact]
    public async Task Frames_are_split_back_into_stdout_stderr_and_the_exit_code()
    {
        var body = new MemoryStream([
            .. Frame(ExecStream.Kind.Stdout, "out1 "u8.ToArray()),
            .. Frame(ExecStream.Kind.Stderr, "err"u8.ToArray()),
            .. Frame(ExecStream.Kind.Stdout, "out2"u8.ToArray()),
            .. Frame(ExecStream.Kind.Exit, ExecStream.ExitPayload(137)),
        ]);
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();

        var (code, error) = await ExecStream.CopyAsync(body, stdout, stderr, CancellationToken.None);

        Assert.Equal((137, null), (code, error));
        Assert.Equal("out1 out2", System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("err", System.Text.Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Fact]
    public async Task An_error_frame_ends_the_stream_with_its_message()
    {
        var body = new MemoryStream([.. Frame(ExecStream.Kind.Stdout, "x"u8.ToArray()), .. Frame(ExecStream.Kind.Error, ExecStream.ErrorPayload("exec failed: boom"))]);

        var (code, error) = await ExecStream.CopyAsync(body, Stream.Null, Stream.Null, CancellationToken.None);

        Assert.Equal((null, "exec failed: boom"), (code, error));
    }

    [Fact]
    public async Task A_body_cut_before_the_exit_frame_is_reported()
    {
        var whole = Frame(ExecStream.Kind.Stdout, "partial output"u8.ToArray());
        var body = new MemoryStream(whole[..^4]);

        var (code, error) = await ExecStream.CopyAsync(body, Stream.Null, Stream.Null, CancellationToken.None);

        Assert.Null(code);
        Assert.Equal("the lab server closed the connection before the command finished", error);
    }
}
