using Lab.Runtime.Native;

namespace Lab.Runtime.Tests.Native;

/// <summary>The *at wrappers on a real directory descriptor: what they make, what they tolerate (an existing
/// directory, an entry already removed), and that a failure names the call and the entry.</summary>
public class FsWritesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory($"lab-test-{Environment.ProcessId}-fswrites-").FullName;
    private readonly FileDescriptor _root;

    public FsWritesTests() => _root = ResolveInRoot.OpenRoot(_dir);

    public void Dispose()
    {
        _root.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void MakeDirectory_says_whether_it_made_the_directory()
    {
        Assert.True(FsWrites.MakeDirectory(_root, "d", 0x1ED, "/d"));
        Assert.False(FsWrites.MakeDirectory(_root, "d", 0x1ED, "/d"));
        Assert.True(Directory.Exists(Path.Combine(_dir, "d")));
    }

    [Fact]
    public void CreateNew_refuses_an_existing_name_with_EEXIST_naming_create_and_the_entry()
    {
        using (var file = FsWrites.CreateNew(_root, "f", 0x180, "/f")) file.WriteAll("one"u8);

        var e = Assert.Throws<LinuxException>(() => FsWrites.CreateNew(_root, "f", 0x180, "/f"));

        Assert.Equal(17, e.Errno); // EEXIST
        Assert.StartsWith("create '/f'", e.Message);
        Assert.Equal("one", File.ReadAllText(Path.Combine(_dir, "f")));
    }

    [Fact]
    public void CreateOrTruncate_does_not_write_through_a_symlink()
    {
        var outside = Path.Combine(_dir, "outside");
        File.WriteAllText(outside, "keep");
        File.CreateSymbolicLink(Path.Combine(_dir, "trap"), outside);

        var e = Assert.Throws<LinuxException>(() => FsWrites.CreateOrTruncate(_root, "trap", 0x1A4, "/trap"));

        Assert.Equal(40, e.Errno); // ELOOP: O_NOFOLLOW met a symlink
        Assert.Equal("keep", File.ReadAllText(outside));
    }

    [Fact]
    public void Entries_are_linked_owned_timed_and_removed_on_the_inode_they_name()
    {
        using (var file = FsWrites.CreateNew(_root, "f", 0x180, "/f"))
        {
            FsWrites.Chmod(file, 0x1A4, "/f");
            FsWrites.SetTimes(file, DateTimeOffset.FromUnixTimeSeconds(1_000_000_000), "/f");
        }
        using (var f = FsCalls.OpenAt(_root, "f")!) FsWrites.Link(f, _root, "hard", "/hard");
        FsWrites.Symlink(_root, "soft", "f", "/soft");
        FsWrites.MakeFifo(_root, "pipe", 0x180, "/pipe");

        var st = Inode.OfPath(Path.Combine(_dir, "f"));
        Assert.Equal(0x1A4u, st.Permissions);
        Assert.Equal(2ul, st.Links);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_000_000_000), st.ModificationTime);
        Assert.Equal("f", new FileInfo(Path.Combine(_dir, "soft")).LinkTarget);
        Assert.True(Inode.OfPath(Path.Combine(_dir, "pipe")).IsFifo);

        FsWrites.Remove(_root, "hard", isDirectory: false, "/hard");
        FsWrites.Remove(_root, "hard", isDirectory: false, "/hard"); // already gone: no error
        Assert.False(File.Exists(Path.Combine(_dir, "hard")));
        Assert.Equal(1ul, Inode.OfPath(Path.Combine(_dir, "f")).Links);
    }
}
