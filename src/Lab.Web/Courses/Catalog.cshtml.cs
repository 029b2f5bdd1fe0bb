using Lab.Courses.Catalog;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lab.Web.Courses;

public sealed class CatalogModel(CourseCatalog catalog) : PageModel
{
    public IReadOnlyList<Course> Courses => catalog.Courses;

    public void OnGet()
    {
    }
}
