namespace Lab.Web.Hosting;

/// <summary>Finds the top-level folders the app serves (wwwroot, labs). Inside a checkout of the repository
/// (`dotnet run`, tests, bin/lab built by make) the repository's own folders are used, so edits show up without
/// a rebuild; a published app elsewhere (a container image) uses the copies published next to it.</summary>
public static class AppPaths
{
    public static string? RepositoryRoot { get; } = FindRepositoryRoot(AppContext.BaseDirectory);

    public static string WebRoot => Find("wwwroot");

    public static string Labs => Find("labs");

    private static string Find(string folder)
    {
        if (RepositoryRoot is { } repo && Directory.Exists(Path.Combine(repo, folder)))
        {
            return Path.Combine(repo, folder);
        }

        return Path.Combine(AppContext.BaseDirectory, folder);
    }

    /// <summary>The nearest folder above <paramref name="start"/> that holds Lab.sln.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lab.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
