namespace Lab.Runtime;

/// <summary>The closed set of failure kinds that domain code raises. The web/CLI/Engine layers map a kind to a
/// status in exactly one place each; domain code never picks a status.</summary>
public enum ErrorKind { InvalidParameter, NotFound, Conflict, Forbidden, Unavailable, Internal }

public class LabException(ErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;
}
