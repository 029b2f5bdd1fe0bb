namespace Lab.Web.Control;

/// <summary>Writes an exec's output to the response as <see cref="ExecStream"/> frames. The response starts
/// with the first frame, so an error raised before any output (unknown machine, machine stopped) still gets its
/// proper status and JSON body from the error handler.</summary>
internal sealed class ExecResponse(HttpResponse response)
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public Stream Stdout => new FrameStream(this, ExecStream.Kind.Stdout);

    public Stream Stderr => new FrameStream(this, ExecStream.Kind.Stderr);

    public bool HasStarted => response.HasStarted;

    public async Task WriteFrameAsync(ExecStream.Kind kind, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (!response.HasStarted)
            {
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = ExecStream.ContentType;
            }

            var header = new byte[ExecStream.HeaderSize];
            ExecStream.WriteHeader(header, kind, payload.Length);
            await response.Body.WriteAsync(header, ct);
            await response.Body.WriteAsync(payload, ct);
            await response.Body.FlushAsync(ct);
        }
        finally
        {
            gate.Release();
        }
    }

    private sealed class FrameStream(ExecResponse owner, ExecStream.Kind kind) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) =>
            buffer.IsEmpty ? ValueTask.CompletedTask : new ValueTask(owner.WriteFrameAsync(kind, buffer, ct));

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override void Write(byte[] buffer, int offset, int count) =>
            WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken ct) => Task.CompletedTask;
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
