using Lab.Runtime.Images.Oci;
using System.Formats.Tar;
using System.Text;

namespace Lab.Runtime.Tests.Images.Oci;

/// <summary>Image archives as tests see them: read an exported tar into name → bytes, or write one entry by
/// entry (as `docker save` would, or as an attacker would).</summary>
sealed class ArchiveTar
{
    readonly List<TarEntry> _entries = [];

    public static Dictionary<string, byte[]> Read(byte[] tar)
    {
        var files = new Dictionary<string, byte[]>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            files[entry.Name] = data.ToArray();
        }
        return files;
    }

    public static string Text(Dictionary<string, byte[]> files, string name) => Encoding.UTF8.GetString(files[name]);

    public ArchiveTar File(string name, byte[] content)
    {
        _entries.Add(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        return this;
    }

    public ArchiveTar File(string name, string text) => File(name, Encoding.UTF8.GetBytes(text));

    public ArchiveTar Symlink(string name, string target)
    {
        _entries.Add(new UstarTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
        return this;
    }

    public ArchiveTar Dir(string name)
    {
        _entries.Add(new UstarTarEntry(TarEntryType.Directory, name));
        return this;
    }

    public byte[] Build()
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, leaveOpen: true))
            foreach (var entry in _entries)
                writer.WriteEntry(entry);
        return buffer.ToArray();
    }

    /// <summary>A copy of <paramref name="tar"/> without the entries <paramref name="drop"/> selects.</summary>
    public static byte[] Without(byte[] tar, Func<string, bool> drop)
    {
        var copy = new ArchiveTar();
        foreach (var (name, content) in Read(tar))
            if (!drop(name))
                if (name.EndsWith('/')) copy.Dir(name); else copy.File(name, content);
        return copy.Build();
    }
}

/// <summary>A read-only stream that cannot seek, like a request body.</summary>
sealed class ForwardOnlyStream(Stream inner) : ForwardReadStream
{
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
}
