namespace Lab.Web.Hosting;

/// <summary>The documented environment variables, as configuration keys: the server binds and validates them
/// like any other setting, and tests pass the same keys without touching the process environment.</summary>
public static class LabEnvironment
{
    public static readonly IReadOnlyDictionary<string, string> Variables = new Dictionary<string, string>
    {
        ["LAB_DATA"] = $"{LabOptions.Section}:{nameof(LabOptions.DataDir)}",
        ["LAB_URLS"] = $"{LabOptions.Section}:{nameof(LabOptions.Urls)}",
        ["LAB_COURSES"] = $"{Courses.CourseOptions.Section}:{nameof(Courses.CourseOptions.ExtraRoots)}",
    };

    public static IReadOnlyDictionary<string, string?> FromProcess() =>
        Variables
            .Select(variable => (Key: variable.Value, Value: Environment.GetEnvironmentVariable(variable.Key)))
            .Where(setting => !string.IsNullOrEmpty(setting.Value))
            .ToDictionary(setting => setting.Key, setting => setting.Value);
}
