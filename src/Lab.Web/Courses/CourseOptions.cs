using Lab.Web.Hosting;

namespace Lab.Web.Courses;

/// <summary>Where courses are read from: the app's own labs/ folder, then LAB_COURSES (':'-separated).</summary>
public sealed class CourseOptions
{
    public const string Section = "Courses";

    /// <summary>The folder shipped with the app (the repository's labs/, or the published copy).</summary>
    public string DefaultRoot { get; set; } = AppPaths.Labs;

    /// <summary>LAB_COURSES: extra folders, each a course folder or a folder of course folders.</summary>
    public string? ExtraRoots { get; set; }

    public IReadOnlyList<string> Roots =>
    [
        DefaultRoot,
        .. (ExtraRoots ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Path.GetFullPath),
    ];
}
