namespace Lab.Courses.Catalog;

/// <summary>Maps a URL path below <c>/courses/{id}/assets/</c> to a file of the course folder, refusing anything
/// that is not plainly a published asset of that course: absolute paths, <c>.</c>/<c>..</c> segments, hidden
/// files (<c>.git</c>), the course's sources (Markdown and YAML, which hold exercise solutions), and symbolic
/// links that lead outside the course folder. Course folders are written by instructors, not students, so the
/// check-then-open window is not an attack surface here.</summary>
internal static class AssetResolver
{
    private static readonly string[] SourceExtensions = [".md", ".markdown", ".yaml", ".yml"];

    public static string? Resolve(string courseDirectory, string relativePath)
    {
        if (!IsPlainRelativePath(relativePath))
        {
            return null;
        }

        var root = RealPath.Of(courseDirectory);
        var candidate = root is null ? null : RealPath.Of(Path.Combine(root, relativePath));
        if (root is null || candidate is null || !candidate.StartsWith(root + "/", StringComparison.Ordinal))
        {
            return null;
        }

        return File.Exists(candidate) && !IsSource(candidate) ? candidate : null;
    }

    private static bool IsPlainRelativePath(string path) =>
        path.Length > 0
        && !path.StartsWith('/')
        && path.IndexOfAny(['\\', '\0']) < 0
        && path.Split('/').All(segment => segment.Length > 0 && !segment.StartsWith('.'))
        && !IsSource(path);

    // Checked on the requested name and again on the real file, so a link named "x.svg" to "lesson.md" fails too.
    private static bool IsSource(string path) =>
        SourceExtensions.Any(extension => path.EndsWith(extension, StringComparison.OrdinalIgnoreCase));
}
