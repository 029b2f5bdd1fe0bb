using Lab.Engine;
using Lab.Web.Accounts;
using Lab.Web.Classes;
using Lab.Web.Cli;
using Lab.Web.Control;
using Lab.Web.Courses;
using Lab.Web.Errors;
using Lab.Web.Exercises;
using Lab.Web.Hosting;
using Lab.Web.Localization;
using Lab.Web.Machines;
using Lab.Web.Preview;
using Lab.Web.Setup;
using Lab.Web.Terminal;

// `lab`: the web server (`lab serve`, the default) and the commands that reach it (`lab machine ...`).
return await LabCommand.InvokeAsync(LabEnvironment.FromProcess(), CliConsole.Process(), args);

public partial class Program
{
    /// <summary>The web app, feature by feature. `lab serve` and the tests build it the same way; tests may
    /// then replace services (a small base image, their own cgroup parent).</summary>
    public static WebApplication BuildServer(IReadOnlyDictionary<string, string?> settings,
        Action<IServiceCollection>? replaceServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(Program).Assembly.GetName().Name, // where the pages are, even under a test host
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = AppPaths.WebRoot,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services
            .AddLabHosting()
            .AddErrors()
            .AddLabLocalization()
            .AddMachines()
            .AddLabEngine() // the Engine API on LAB_DATA/engine/docker.sock, its own Kestrel app (not on the web port)
            .AddAccounts()
            .AddClasses()
            .AddAdminSetup()
            .AddCourses()
            .AddTerminal()
            .AddExercises()
            .AddPreview()
            .AddControl()
            .AddClassroomRegistry<RegistryAccounts>()
            .AddLabPages();
        replaceServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseErrors();
        app.UseRequestLocalization();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapLocalization();
        app.MapAccounts();
        app.MapCourses();
        app.MapTerminal();
        app.MapExercises();
        app.MapControl();
        app.MapPreview();
        app.MapRazorPages();
        return app;
    }
}
