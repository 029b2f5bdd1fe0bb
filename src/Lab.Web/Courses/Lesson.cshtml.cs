using Lab.Courses.Catalog;
using Lab.Courses.Rendering;
using Lab.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lab.Web.Courses;

/// <summary>A lesson: its slides beside a terminal into the visitor's own lab machine. Speaker notes are not
/// part of this page at all (only <see cref="Slide.Html"/> is written out).</summary>
public sealed class LessonModel(CourseCatalog catalog, UserMachines machines) : PageModel
{
    public Course Course { get; private set; } = null!;

    public Lesson Lesson { get; private set; } = null!;

    public RenderedLesson Rendered { get; private set; } = null!;

    public string Machine { get; private set; } = "";

    public Lesson? Previous => Lesson.Index > 0 ? Course.Lessons[Lesson.Index - 1] : null;

    public Lesson? Next => Lesson.Index + 1 < Course.Lessons.Count ? Course.Lessons[Lesson.Index + 1] : null;

    public async Task<IActionResult> OnGetAsync(string courseId, string lessonSlug, CancellationToken ct)
    {
        if (catalog.Find(courseId) is not { } course || course.FindLesson(lessonSlug) is not { } lesson)
        {
            return NotFound();
        }

        (Course, Lesson) = (course, lesson);
        Rendered = catalog.Render(lesson);
        Machine = await machines.GetOrCreateAsync(User, ct);
        return Page();
    }
}
