using Lab.Engine.Build.Context;

namespace Lab.Engine.Tests.Build.Context;

public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("*.log", "debug.log", true)]
    [InlineData("*.log", "logs/debug.log", false)]
    [InlineData("**/*.log", "logs/debug.log", true)]
    [InlineData("**/*.log", "debug.log", true)]
    [InlineData("secret", "secret/key", true)]
    [InlineData("/build", "build/out.o", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "a/c", false)]
    [InlineData("[a-c].txt", "b.txt", true)]
    [InlineData("[^a].txt", "a.txt", false)]
    [InlineData("./docs/../tmp", "tmp/x", true)]
    public void Patterns_match_like_moby(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, new DockerIgnore([pattern]).Excludes(path));

    [Fact]
    public void Last_matching_pattern_wins_and_exceptions_bring_files_back()
    {
        var ignore = DockerIgnore.Read("# comment\n*.md\n!README.md\nREADME-secret.md\n");
        Assert.True(ignore.Excludes("notes.md"));
        Assert.False(ignore.Excludes("README.md"));
        Assert.True(ignore.Excludes("README-secret.md"));
        Assert.False(ignore.Excludes("app.py"));
    }

    [Fact]
    public void A_lone_exclamation_mark_is_refused() =>
        Assert.Throws<FormatException>(() => new DockerIgnore(["!"]));
}
