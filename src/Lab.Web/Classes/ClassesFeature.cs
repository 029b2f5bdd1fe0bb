namespace Lab.Web.Classes;

/// <summary>Classes: instructors create them and hand out a join code; students join with it. Pages under
/// /classes (Razor Pages in this folder); the data is read by the preview's access rule and the registry's
/// namespace owners too.</summary>
public static class ClassesFeature
{
    public static IServiceCollection AddClasses(this IServiceCollection services) =>
        services.AddScoped<ClassStore>();
}
