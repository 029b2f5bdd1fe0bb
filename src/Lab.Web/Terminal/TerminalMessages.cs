using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lab.Web.Terminal;

/// <summary>The text frames of /ws/term. Binary frames carry terminal bytes both ways; text frames are JSON:
/// <code>
/// browser → server  {"type":"resize","cols":120,"rows":40}
/// server → browser  {"type":"status","message":"..."}   progress while the machine starts
///                   {"type":"ready"}                     the shell is attached; its scrollback follows
///                   {"type":"exit","code":0}             the shell ended; the server then closes the socket
///                   {"type":"error","message":"..."}     the terminal could not be opened; then closed
/// </code></summary>
public sealed record TerminalMessage(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("message"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null,
    [property: JsonPropertyName("code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Code = null,
    [property: JsonPropertyName("cols"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Cols = null,
    [property: JsonPropertyName("rows"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Rows = null)
{
    public static TerminalMessage Status(string message) => new("status", message);
    public static TerminalMessage Ready() => new("ready");
    public static TerminalMessage Exit(int? code) => new("exit", Code: code ?? 0);
    public static TerminalMessage Error(string message) => new("error", message);

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this);

    /// <summary>Null for anything that is not a well-formed message (ignored, as unknown types are).</summary>
    public static TerminalMessage? Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return JsonSerializer.Deserialize<TerminalMessage>(utf8);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
