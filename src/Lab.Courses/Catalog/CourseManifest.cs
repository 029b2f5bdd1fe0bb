using System.Text.RegularExpressions;

namespace Lab.Courses.Catalog;

/// <summary>The content of a course's <c>course.yaml</c>:
/// <code>
/// id: docker-intro            # used in URLs: lower-case letters, digits and dashes
/// title: Introduction à Docker
/// language: fr                # BCP 47 tag of the lessons' language
/// description: ...            # optional
/// lessons:                    # in order; a file name, a file name without .md, or the slug after NN-
///   - 01-conteneurs.md
/// </code></summary>
internal sealed partial record CourseManifest(
    string Id, string Title, string Language, string? Description, IReadOnlyList<(string Name, SourceLocation Location)> Lessons)
{
    public const string FileName = "course.yaml";

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    public static partial Regex SlugPattern();

    [GeneratedRegex("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LanguagePattern();

    public static CourseManifest Read(string path)
    {
        var yaml = YamlMapping.Parse(File.ReadAllText(path), path);
        yaml.RejectUnknownKeys("id", "title", "language", "description", "lessons");

        var id = yaml.RequireString("id");
        if (!SlugPattern().IsMatch(id))
        {
            throw yaml.ErrorAt("id", $"course id '{id}' must be lower-case letters, digits and single dashes (it is part of URLs)");
        }

        var language = yaml.RequireString("language");
        if (!LanguagePattern().IsMatch(language))
        {
            throw yaml.ErrorAt("language", $"language '{language}' is not a language tag such as 'fr' or 'en'");
        }

        return new CourseManifest(id, yaml.RequireString("title"), language, yaml.OptionalString("description"),
            yaml.RequireStringList("lessons"));
    }
}
