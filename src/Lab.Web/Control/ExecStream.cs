using System.Buffers.Binary;
using System.Text;

namespace Lab.Web.Control;

/// <summary>The body of <c>POST /control/machines/{name}/exec</c> (content type
/// <see cref="ContentType"/>): frames with the header layout of Docker's multiplexed streams ("stdcopy"),
/// <code>
/// byte 0      kind: 1 stdout, 2 stderr, 3 exit, 4 error
/// bytes 1-3   zero
/// bytes 4-7   payload length, unsigned 32-bit big-endian
/// payload     stdout/stderr: the bytes as the command wrote them, streamed as they come
///             exit:  the exit code, signed 32-bit big-endian (128+N when killed by signal N); last frame
///             error: a UTF-8 message, the exec failed after it began; last frame
/// </code>
/// A body that ends without an exit or error frame means the server went away mid-command.</summary>
public static class ExecStream
{
    public const string ContentType = "application/vnd.lab.exec-stream";

    public enum Kind : byte { Stdout = 1, Stderr = 2, Exit = 3, Error = 4 }

    public const int HeaderSize = 8;

    public static void WriteHeader(Span<byte> header, Kind kind, int length)
    {
        header.Clear();
        header[0] = (byte)kind;
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)length);
    }

    public static byte[] ExitPayload(int code)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, code);
        return payload;
    }

    public static byte[] ErrorPayload(string message) => Encoding.UTF8.GetBytes(message);

    /// <summary>Reads frames until the exit or error frame, copying output to the two streams as it arrives.</summary>
    /// <returns>The exit code, or the error message.</returns>
    public static async Task<(int? ExitCode, string? Error)> CopyAsync(Stream body, Stream stdout, Stream stderr, CancellationToken ct)
    {
        var header = new byte[HeaderSize];
        var buffer = new byte[64 * 1024];
        while (true)
        {
            if (!await ReadExactlyOrEndAsync(body, header, ct))
            {
                return (null, "the lab server closed the connection before the command finished");
            }

            var kind = (Kind)header[0];
            var length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)));
            if (kind is Kind.Exit or Kind.Error)
            {
                var payload = new byte[length];
                await body.ReadExactlyAsync(payload, ct);
                return kind == Kind.Exit
                    ? (BinaryPrimitives.ReadInt32BigEndian(payload), null)
                    : (null, Encoding.UTF8.GetString(payload));
            }

            var target = kind == Kind.Stderr ? stderr : stdout;
            while (length > 0)
            {
                var n = await body.ReadAsync(buffer.AsMemory(0, Math.Min(length, buffer.Length)), ct);
                if (n == 0)
                {
                    return (null, "the lab server closed the connection before the command finished");
                }

                await target.WriteAsync(buffer.AsMemory(0, n), ct);
                length -= n;
            }

            await target.FlushAsync(ct);
        }
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken ct) =>
        await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct) == buffer.Length;
}
