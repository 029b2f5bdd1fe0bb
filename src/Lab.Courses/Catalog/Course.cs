namespace Lab.Courses.Catalog;

/// <summary>A course: a folder with a <c>course.yaml</c> and its lessons, in the order course.yaml lists them.</summary>
public sealed class Course
{
    internal Course(CourseManifest manifest, string directory, IEnumerable<LessonSource> lessons)
    {
        Id = manifest.Id;
        Title = manifest.Title;
        Language = manifest.Language;
        Description = manifest.Description;
        Directory = directory;
        Lessons = lessons.Select((source, index) => new Lesson(this, source, index)).ToList();
    }

    /// <summary>The course's URL name (<c>docker-intro</c>).</summary>
    public string Id { get; }

    public string Title { get; }

    /// <summary>BCP 47 language tag of the lessons (<c>fr</c>).</summary>
    public string Language { get; }

    public string? Description { get; }

    /// <summary>Full path of the course folder.</summary>
    public string Directory { get; }

    public IReadOnlyList<Lesson> Lessons { get; }

    /// <summary>The lesson whose slug is <paramref name="slug"/> (<c>conteneurs</c> for <c>01-conteneurs.md</c>).</summary>
    public Lesson? FindLesson(string slug) => Lessons.FirstOrDefault(lesson => lesson.Slug == slug);

    public override string ToString() => Id;
}
