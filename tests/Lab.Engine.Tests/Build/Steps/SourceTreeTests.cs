using Lab.Engine.Build.Steps;

namespace Lab.Engine.Tests.Build.Steps;

public sealed class SourceTreeTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory(StaleTestState.OwnPrefix + "tree-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Layer(string name, params (string Path, string? Content)[] files)
    {
        var root = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(root, path);
            if (content is null) Directory.CreateDirectory(full);
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content);
            }
        }
        return root;
    }

    [Fact]
    public void Upper_layers_win_and_whiteouts_hide_lower_files()
    {
        var lower = Layer("lower", ("app/a", "old"), ("app/b", "b"), ("app/c", "c"));
        var upper = Layer("upper", ("app/a", "new"), ("app/.wh.b", ""));
        var tree = new SourceTree([upper, lower]);
        Assert.Equal(["a", "c"], tree.List("app"));
        Assert.Equal("new", File.ReadAllText(tree.Resolve("app/a")!.Value.Info.FullName));
        Assert.Null(tree.Resolve("app/b"));
    }

    [Fact]
    public void An_opaque_directory_hides_everything_below_it()
    {
        var lower = Layer("lower2", ("etc/old.conf", "x"));
        var upper = Layer("upper2", ("etc/new.conf", "y"), ("etc/.wh..wh..opq", ""));
        Assert.Equal(["new.conf"], new SourceTree([upper, lower]).List("etc"));
    }

    [Fact]
    public void Symlinks_resolve_inside_the_tree_never_on_the_host()
    {
        var root = Layer("ctx", ("real/file", "inside"));
        File.CreateSymbolicLink(Path.Combine(root, "abs"), "/real");
        File.CreateSymbolicLink(Path.Combine(root, "escape"), "../../../../../../etc");
        var tree = SourceTree.Directory(root);
        Assert.Equal("real/file", tree.Resolve("abs/file")!.Value.Path);
        Assert.Null(tree.Resolve("escape/passwd")); // "/etc/passwd" of the tree, which has none
    }
}
