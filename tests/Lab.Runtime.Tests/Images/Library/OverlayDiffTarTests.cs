using Lab.Runtime.Archives;
using Lab.Runtime.Images.Library;
using Lab.Runtime.Tests.Images.Oci;

namespace Lab.Runtime.Tests.Images.Library;

public sealed class OverlayDiffTarTests : IDisposable
{
    readonly ImageTestDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_recipe_steps_upper_dir_keeps_raw_capabilities_beside_its_whiteouts_and_opaque_markers()
    {
        var upper = Directory.CreateDirectory(_dir.Combine("upper")).FullName;
        Directory.CreateDirectory(Path.Combine(upper, "bin"));
        File.WriteAllText(Path.Combine(upper, "bin", "ping"), "ELF");
        byte[] capability = [1, 0, 0, 2, 0x0A, 0x20, 0x80, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Inode.SetXattr(Path.Combine(upper, "bin", "ping"), "security.capability", capability);
        Inode.SetXattr(Path.Combine(upper, "bin"), "trusted.overlay.opaque", "y"u8.ToArray());
        var tar = new MemoryStream();

        await OverlayDiffTar.WriteAsync(upper, tar);

        tar.Position = 0;
        var found = new Dictionary<string, IReadOnlyDictionary<string, byte[]>>();
        using (var reader = new XattrTarReader(tar))
            while (reader.GetNextEntry() is { } entry) found[entry.Name] = reader.Xattrs;
        Assert.Equal(["bin/", "bin/.wh..wh..opq", "bin/ping"], found.Keys);
        Assert.Equal(capability, found["bin/ping"]["security.capability"]);
        Assert.Empty(found["bin/"]);
    }
}
