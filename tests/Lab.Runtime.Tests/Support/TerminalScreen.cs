using System.Text;
using Lab.Runtime.Terminals;

namespace Lab.Runtime.Tests.Support;

/// <summary>A test's view of a terminal: everything the shell printed, and a way to type.</summary>
public sealed class TerminalScreen : IDisposable
{
    private readonly TerminalSession _session;
    private readonly TerminalAttachment _attachment;
    private readonly StringBuilder _text = new();
    private readonly SemaphoreSlim _changed = new(0);

    public TerminalScreen(TerminalSession session)
    {
        _session = session;
        _attachment = session.Attach(data =>
        {
            lock (_text) _text.Append(Encoding.UTF8.GetString(data.Span));
            _changed.Release();
        }, () => _changed.Release());
        lock (_text) _text.Append(Encoding.UTF8.GetString(_attachment.Scrollback));
    }

    public byte[] Replayed => _attachment.Scrollback;

    public string Text { get { lock (_text) return _text.ToString(); } }

    public void Type(string keys) => _session.Write(Encoding.UTF8.GetBytes(keys));

    public async Task WaitFor(string needle, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Text.Contains(needle))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"'{needle}' never appeared; screen:\n{Text}");
            await _changed.WaitAsync(left);
        }
    }

    public void Dispose() => _attachment.Dispose();
}
