namespace Lab.Runtime.Images.Oci;

/// <summary>Tar entry names of a layer, made safe to join to the layer directory: relative, without "." or
/// empty components, and refused outright when absolute or climbing with "..". (containerd rewrites such names
/// to stay inside; refusing them instead tells an author their layer is broken rather than quietly moving
/// files.)</summary>
static class LayerEntryPath
{
    /// <summary>The normalized relative path ("" for the layer's root).</summary>
    public static string Normalize(string name, string what) => Normalize(name, what, name, "it");

    /// <summary>The normalized source of hard link entry <paramref name="entryName"/>.</summary>
    public static string NormalizeLinkSource(string source, string entryName, string what) =>
        Normalize(source, what, entryName, $"its hard link source '{source}'");

    static string Normalize(string name, string what, string entryName, string subject)
    {
        if (name.StartsWith('/'))
            throw Refuse(what, entryName, $"{subject} is an absolute path");
        if (name.Contains('\0'))
            throw Refuse(what, entryName, $"{subject} contains a NUL character");
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
            throw Refuse(what, entryName, $"{subject} contains a '..' component that could leave the layer");
        return string.Join('/', parts);
    }

    public static LabException Refuse(string what, string name, string reason) =>
        new(ErrorKind.InvalidParameter, $"{what}: refusing tar entry '{name}': {reason}");
}
