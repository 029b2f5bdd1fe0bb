using System.Text.RegularExpressions;
using Lab.Courses.Catalog;

namespace Lab.Courses.Tests.Content;

/// <summary>The real course content in the repository's <c>labs/</c> folder loads and renders.</summary>
public sealed partial class LabsFolderTests
{
    private static readonly Lazy<CourseCatalog> Catalog = new(() => CourseCatalog.Load(Path.Combine(RepositoryRoot(), "labs")));

    [GeneratedRegex("<img [^>]*src=\"(?<src>[^\"]*)\"")]
    private static partial Regex ImageSource();

    [Fact]
    public void The_labs_folder_loads_without_errors()
    {
        Assert.True(Catalog.Value.Errors.Count == 0, string.Join("\n", Catalog.Value.Errors));
        var course = Catalog.Value.Find("docker-intro");
        Assert.NotNull(course);
        Assert.Equal("fr", course.Language);
        Assert.NotEmpty(course.Lessons);
    }

    [Fact]
    public void Every_lesson_renders_into_slides()
    {
        var lessons = Catalog.Value.Courses.SelectMany(course => course.Lessons).ToList();
        Assert.NotEmpty(lessons);
        foreach (var lesson in lessons)
        {
            var rendered = Catalog.Value.Render(lesson);
            Assert.Equal(lesson.Title, rendered.Title);
            Assert.NotEmpty(rendered.Slides);
            Assert.All(rendered.Slides, slide => Assert.False(string.IsNullOrWhiteSpace(slide.Html), $"{lesson}: empty slide"));
        }
    }

    [Fact]
    public void Every_image_of_every_lesson_is_served_from_its_course()
    {
        foreach (var course in Catalog.Value.Courses)
        {
            var prefix = $"/courses/{course.Id}/assets/";
            foreach (var lesson in course.Lessons)
            {
                var sources = Catalog.Value.Render(lesson).Slides
                    .SelectMany(slide => ImageSource().Matches(slide.Html))
                    .Select(match => match.Groups["src"].Value);
                foreach (var source in sources)
                {
                    Assert.StartsWith(prefix, source);
                    var asset = Catalog.Value.ResolveAsset(course, Uri.UnescapeDataString(source[prefix.Length..]));
                    Assert.True(asset is not null, $"{lesson}: image {source} is not served");
                }
            }
        }
    }

    [Fact]
    public void The_first_lesson_has_runnable_commands_an_image_and_speaker_notes()
    {
        var lesson = Catalog.Value.Find("docker-intro")?.FindLesson("conteneurs");
        Assert.NotNull(lesson);

        var slides = Catalog.Value.Render(lesson).Slides;

        Assert.InRange(slides.Count, 6, 10);
        Assert.Contains(slides, slide => slide.Html.Contains("class=\"run-button\" data-command=\"ps -e\""));
        Assert.Contains(slides, slide => slide.Html.Contains("<img src=\"/courses/docker-intro/assets/images/couches.svg\""));
        Assert.Contains(slides, slide => slide.NotesHtml is not null);
        Assert.All(slides, slide => Assert.DoesNotContain("Notes :", slide.Html));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Lab.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Lab.sln above {AppContext.BaseDirectory}");
    }
}
