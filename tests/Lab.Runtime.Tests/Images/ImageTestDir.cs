using System.Diagnostics;
using Lab.Runtime.Images;

namespace Lab.Runtime.Tests.Images;

/// <summary>A temporary directory for one test (an image store, a recipe copy), removed afterwards without
/// reaching through any mount a failed build may have left. Named like the other test dirs
/// (lab-test-&lt;pid&gt;-...) so StaleTestState sweeps what a killed run leaves.</summary>
sealed class ImageTestDir : IDisposable
{
    public string Path { get; } =
        Directory.CreateTempSubdirectory($"{StaleTestState.OwnPrefix}images-").FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Copies a recipe folder from labs/images so a test may change it.</summary>
    public string CopyRecipe(string name)
    {
        var source = System.IO.Path.Combine(TestImages.RecipesDir, name);
        var target = Directory.CreateDirectory(Combine("recipes", name)).FullName;
        foreach (var file in Directory.EnumerateFiles(source))
            File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)));
        return target;
    }

    /// <summary>A recipe whose build script is <paramref name="script"/>.</summary>
    public string WriteRecipe(string name, string script)
    {
        var dir = Directory.CreateDirectory(Combine("recipes", name)).FullName;
        File.WriteAllText(System.IO.Path.Combine(dir, "build"), "#!/usr/bin/env bash\nset -euo pipefail\n" + script);
        return dir;
    }

    public static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {stderr}");
    }

    public void Dispose() => ScratchDir.Delete(Path);
}

/// <summary>Collects progress lines synchronously (Progress&lt;T&gt; would post them to a thread pool).</summary>
sealed class ProgressLines : IProgress<string>
{
    readonly List<string> _lines = [];
    public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }
    public void Report(string value) { lock (_lines) _lines.Add(value); }
}
