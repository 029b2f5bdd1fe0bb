using Lab.Courses.Catalog;

namespace Lab.Courses.Tests.Catalog;

/// <summary>Asset resolution, through <see cref="CourseCatalog.ResolveAsset"/> as the web layer calls it.</summary>
public sealed class AssetResolverTests : IDisposable
{
    private readonly TempFolder root = new();
    private readonly CourseCatalog catalog;
    private readonly Course course;

    public AssetResolverTests()
    {
        root.Write("c/course.yaml", "id: c\ntitle: C\nlanguage: fr\nlessons: [01-a.md]\n");
        root.Write("c/01-a.md", "---\ntitle: A\n---\n![](images/couches.svg)\n");
        root.Write("c/images/couches.svg", "<svg/>");
        root.Write("c/.git/config", "[core]");
        root.Write("secret.txt", "hors du cours");
        catalog = CourseCatalog.Load(root.Path);
        course = Assert.Single(catalog.Courses);
    }

    public void Dispose() => root.Dispose();

    [Fact]
    public void A_file_inside_the_course_is_served()
    {
        Assert.Equal(root.Combine("c/images/couches.svg"), catalog.ResolveAsset(course, "images/couches.svg"));
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("images/../../secret.txt")]
    [InlineData("./images/couches.svg")]
    [InlineData("images//couches.svg")]
    [InlineData("/etc/passwd")]
    [InlineData("images\\couches.svg")]
    [InlineData("")]
    public void Paths_that_are_not_plain_relative_paths_are_refused(string path)
    {
        Assert.Null(catalog.ResolveAsset(course, path));
    }

    [Theory]
    [InlineData("01-a.md")]
    [InlineData("course.yaml")]
    [InlineData("COURSE.YAML")]
    [InlineData(".git/config")]
    public void Sources_and_hidden_files_are_refused(string path)
    {
        Assert.True(File.Exists(root.Combine("c/" + path)) || path == "COURSE.YAML");
        Assert.Null(catalog.ResolveAsset(course, path));
    }

    [Theory]
    [InlineData("images")]
    [InlineData("images/absente.svg")]
    public void Folders_and_missing_files_are_not_found(string path)
    {
        Assert.Null(catalog.ResolveAsset(course, path));
    }

    [Fact]
    public void A_symbolic_link_leading_out_of_the_course_is_refused()
    {
        File.CreateSymbolicLink(root.Combine("c/images/fuite.svg"), root.Combine("secret.txt"));
        Directory.CreateSymbolicLink(root.Combine("c/dehors"), root.Path);

        Assert.Null(catalog.ResolveAsset(course, "images/fuite.svg"));
        Assert.Null(catalog.ResolveAsset(course, "dehors/secret.txt"));
    }

    [Fact]
    public void A_symbolic_link_to_a_source_file_is_refused()
    {
        File.CreateSymbolicLink(root.Combine("c/images/lecon.svg"), "../01-a.md");

        Assert.Null(catalog.ResolveAsset(course, "images/lecon.svg"));
    }

    [Fact]
    public void A_symbolic_link_staying_inside_the_course_is_followed()
    {
        Directory.CreateSymbolicLink(root.Combine("c/img"), "images");

        Assert.Equal(root.Combine("c/images/couches.svg"), catalog.ResolveAsset(course, "img/couches.svg"));
    }
}
