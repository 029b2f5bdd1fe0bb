using System.Text.Json;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Images;

/// <summary>Which image each image of a machine was built on, as dockerd's image store keeps a parent per image
/// that a build step (the classic builder) or a commit made: <c>docker images -a</c> lists such an image while it has no
/// name, <c>docker history</c> shows its id, <c>docker rmi</c> of the last child deletes it too, and the build
/// cache only reuses a step image the machine still has. Image id → parent id ("" for a first step on
/// scratch), one JSON file per machine, written atomically; callers serialize changes (the machine's image
/// lock).</summary>
public sealed class ImageParents(string path)
{
    public IReadOnlyDictionary<string, string> Load()
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllBytes(path)) ?? [];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new Dictionary<string, string>();
        }
    }

    /// <summary>Whether the machine holds this image as one a build step (or a commit) made.</summary>
    public bool Has(Digest image) => Load().ContainsKey(image.ToString());

    public void Set(Digest image, Digest? parent)
    {
        var all = new Dictionary<string, string>(Load()) { [image.ToString()] = parent?.ToString() ?? "" };
        Save(all);
    }

    public void Remove(Digest image)
    {
        var all = new Dictionary<string, string>(Load());
        if (all.Remove(image.ToString())) Save(all);
    }

    void Save(Dictionary<string, string> all)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(all));
        File.Move(temp, path, overwrite: true);
    }
}
