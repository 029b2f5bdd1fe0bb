namespace Lab.Web.Errors;

public static class ErrorsSetup
{
    public static IServiceCollection AddErrors(this IServiceCollection services)
    {
        services.AddExceptionHandler<LabExceptionHandler>();
        services.AddProblemDetails();
        return services;
    }

    /// <summary>API errors are JSON; page errors are pages (/error for exceptions, /status/{code} otherwise).</summary>
    public static WebApplication UseErrors(this WebApplication app)
    {
        app.UseExceptionHandler("/error");
        app.UseWhen(context => !IsApiRequest(context.Request),
            pages => pages.UseStatusCodePagesWithReExecute("/status/{0}"));
        return app;
    }

    /// <summary>Requests answered with JSON (or a bare status) rather than a page.</summary>
    public static bool IsApiRequest(HttpRequest request) => IsApiPath(request.Path);

    public static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/control") || path.StartsWithSegments("/ws");
}
