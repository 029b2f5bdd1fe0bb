using System.Security.Cryptography;
using System.Text;
using Lab.Runtime.Native;

namespace Lab.Runtime.Images;

/// <summary>Fingerprint of a recipe folder: every file's relative path, executable bit and contents. Two
/// folders with the same files hash the same wherever they live, so a moved checkout does not rebuild.</summary>
public static class RecipeHash
{
    public static string Compute(string recipeDir)
    {
        var root = Path.GetFullPath(recipeDir);
        if (!Directory.Exists(root))
            throw new LabException(ErrorKind.NotFound, $"image recipe folder '{root}' does not exist");

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions
            {
                RecurseSubdirectories = true,
                AttributesToSkip = FileAttributes.None, // dotfiles count too
            })
            .Select(path => (Full: path, Relative: Path.GetRelativePath(root, path).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);

        foreach (var (full, relative) in files)
        {
            var executable = Inode.OfPath(full).IsUserExecutable;
            var contents = File.ReadAllBytes(full);
            // Length prefixes keep "a"+"bc" and "ab"+"c" apart.
            AppendField(hash, Encoding.UTF8.GetBytes(relative));
            AppendField(hash, [executable ? (byte)1 : (byte)0]);
            AppendField(hash, contents);
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    static void AppendField(IncrementalHash hash, ReadOnlySpan<byte> field)
    {
        Span<byte> length = stackalloc byte[8];
        BitConverter.TryWriteBytes(length, (long)field.Length);
        hash.AppendData(length);
        hash.AppendData(field);
    }
}
