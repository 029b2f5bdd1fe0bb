namespace Lab.Runtime.Terminals;

/// <summary>One interactive shell on a pty inside a machine. Output goes to the scrollback and to every
/// attached viewer; input and resizes go to the pty. Viewers come and go; the shell lives until it exits
/// or its machine stops.</summary>
public sealed class TerminalSession
{
    private readonly object _gate = new();
    private readonly Scrollback _scrollback = new();
    private readonly List<Viewer> _viewers = [];
    private readonly IPtyEndpoint _pty;

    internal TerminalSession(string machine, IPtyEndpoint pty)
    {
        Machine = machine;
        _pty = pty;
    }

    public string Machine { get; }

    public bool HasExited { get; private set; }

    public int? ExitCode { get; private set; }

    /// <summary>Registers a viewer and returns, atomically with the registration, the scrollback so far:
    /// no byte is lost or shown twice between the replay and the live stream. Callbacks run on the pty pump
    /// thread and must not block.</summary>
    public TerminalAttachment Attach(Action<ReadOnlyMemory<byte>> onOutput, Action onExit)
    {
        lock (_gate)
        {
            var viewer = new Viewer(onOutput, onExit);
            var replay = _scrollback.Snapshot();
            if (HasExited)
                onExit();
            else
                _viewers.Add(viewer);
            return new TerminalAttachment(replay, () => { lock (_gate) _viewers.Remove(viewer); });
        }
    }

    public void Write(ReadOnlySpan<byte> input)
    {
        if (!HasExited) _pty.Write(input);
    }

    public void Resize(int cols, int rows)
    {
        if (!HasExited && cols is > 0 and < 10000 && rows is > 0 and < 10000)
            _pty.Resize((ushort)cols, (ushort)rows);
    }

    /// <summary>Ends the shell (used when the machine stops).</summary>
    public void Close() => _pty.Close();

    internal void OnOutput(ReadOnlySpan<byte> data)
    {
        Viewer[] viewers;
        ReadOnlyMemory<byte> copy;
        lock (_gate)
        {
            _scrollback.Append(data);
            viewers = [.. _viewers];
            copy = data.ToArray();
        }
        foreach (var v in viewers) v.OnOutput(copy);
    }

    internal void OnExit(int exitCode)
    {
        Viewer[] viewers;
        lock (_gate)
        {
            if (HasExited) return;
            HasExited = true;
            ExitCode = exitCode;
            viewers = [.. _viewers];
            _viewers.Clear();
        }
        foreach (var v in viewers) v.OnExit();
    }

    private sealed record Viewer(Action<ReadOnlyMemory<byte>> OnOutput, Action OnExit);
}

/// <summary>What a viewer got on attach: the screen so far, and how to go away.</summary>
public sealed class TerminalAttachment(byte[] scrollback, Action detach) : IDisposable
{
    public byte[] Scrollback { get; } = scrollback;

    public void Dispose() => detach();
}

/// <summary>The pty side a session drives (implemented by the pty pump).</summary>
internal interface IPtyEndpoint
{
    void Write(ReadOnlySpan<byte> data);
    void Resize(ushort cols, ushort rows);
    void Close();
}
