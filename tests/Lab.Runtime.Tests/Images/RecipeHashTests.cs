using Lab.Runtime.Images;

namespace Lab.Runtime.Tests.Images;

public sealed class RecipeHashTests : IDisposable
{
    readonly ImageTestDir _dir = new();

    string Recipe(string name, params (string File, string Text)[] files)
    {
        var dir = Directory.CreateDirectory(_dir.Combine(name)).FullName;
        foreach (var (file, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, file))!);
            File.WriteAllText(Path.Combine(dir, file), text);
        }
        return dir;
    }

    [Fact]
    public void The_same_files_in_another_folder_hash_the_same()
    {
        var a = Recipe("a", ("build", "echo hi"), ("files/motd", "hello"));
        var b = Recipe("b", ("files/motd", "hello"), ("build", "echo hi"));

        Assert.Equal(RecipeHash.Compute(a), RecipeHash.Compute(b));
        Assert.Matches("^sha256:[0-9a-f]{64}$", RecipeHash.Compute(a));
    }

    [Fact]
    public void Changing_a_file_changes_the_hash()
    {
        var recipe = Recipe("a", ("build", "echo hi"), ("files/motd", "hello"));
        var before = RecipeHash.Compute(recipe);

        File.WriteAllText(Path.Combine(recipe, "files", "motd"), "bonjour");

        Assert.NotEqual(before, RecipeHash.Compute(recipe));
    }

    [Fact]
    public void Renaming_or_adding_a_file_changes_the_hash()
    {
        var original = RecipeHash.Compute(Recipe("a", ("build", "echo hi"), ("motd", "x")));

        Assert.NotEqual(original, RecipeHash.Compute(Recipe("b", ("build", "echo hi"), ("issue", "x"))));
        Assert.NotEqual(original, RecipeHash.Compute(Recipe("c", ("build", "echo hi"), ("motd", "x"), (".env", ""))));
    }

    [Fact]
    public void Boundaries_between_names_and_contents_count()
    {
        Assert.NotEqual(
            RecipeHash.Compute(Recipe("a", ("ab", "c"))),
            RecipeHash.Compute(Recipe("b", ("a", "bc"))));
    }

    [Fact]
    public void Making_a_file_executable_changes_the_hash()
    {
        var recipe = Recipe("a", ("build", "echo hi"));
        var before = RecipeHash.Compute(recipe);

        File.SetUnixFileMode(Path.Combine(recipe, "build"), (UnixFileMode)0b111_101_101);

        Assert.NotEqual(before, RecipeHash.Compute(recipe));
    }

    [Fact]
    public void A_missing_recipe_folder_is_not_found()
    {
        var error = Assert.Throws<LabException>(() => RecipeHash.Compute(_dir.Combine("nope")));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    public void Dispose() => _dir.Dispose();
}
