using Lab.Web.Courses;
using Lab.Web.Hosting;

namespace Lab.Web.Tests.Hosting;

public sealed class AppPathsTests
{
    [Fact]
    public void Inside_the_repository_its_own_wwwroot_and_labs_are_served()
    {
        var repo = AppPaths.FindRepositoryRoot(AppContext.BaseDirectory);

        Assert.NotNull(repo);
        Assert.True(File.Exists(Path.Combine(repo, "Lab.sln")));
        Assert.Equal(Path.Combine(repo, "wwwroot"), AppPaths.WebRoot);
        Assert.Equal(Path.Combine(repo, "labs"), AppPaths.Labs);
    }

    [Fact]
    public void Extra_course_roots_follow_the_default_one()
    {
        var options = new CourseOptions { DefaultRoot = "/opt/lab/labs", ExtraRoots = "/srv/courses-a: /srv/courses-b:" };

        Assert.Equal(["/opt/lab/labs", "/srv/courses-a", "/srv/courses-b"], options.Roots);
    }
}
