namespace Lab.Runtime.Containers.Filesystem;

/// <summary>One line of <c>docker diff</c>: Kind 0 modified (C), 1 added (A), 2 deleted (D), as the Engine API's
/// <c>/containers/{id}/changes</c> answers.</summary>
public sealed record FileChange(string Path, ChangeKind Kind);

public enum ChangeKind
{
    Modified = 0,
    Added = 1,
    Deleted = 2,
}
