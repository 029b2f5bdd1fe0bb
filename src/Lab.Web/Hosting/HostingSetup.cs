using System.Net;
using Lab.Web.Localization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Lab.Web.Hosting;

public static class HostingSetup
{
    /// <summary>LabOptions (validated on start) and Kestrel listening on LAB_URLS.</summary>
    public static IServiceCollection AddLabHosting(this IServiceCollection services)
    {
        services.AddOptions<LabOptions>().BindConfiguration(LabOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<LabOptions>, LabOptionsValidator>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<LabOptions>>((kestrel, lab) =>
        {
            foreach (var url in lab.Value.ListenUrls)
            {
                Listen(kestrel, url);
            }
        });
        return services;
    }

    /// <summary>Razor Pages live in the feature folders (Accounts/SignIn.cshtml...), each with an explicit route.</summary>
    public static IServiceCollection AddLabPages(this IServiceCollection services)
    {
        services.AddRazorPages(options => options.RootDirectory = "/")
            .AddDataAnnotationsLocalization(options =>
                options.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));
        return services;
    }

    private static void Listen(KestrelServerOptions kestrel, Uri url)
    {
        if (url.Host is "localhost")
        {
            kestrel.ListenLocalhost(url.Port);
        }
        else if (url.Host is "*" or "+" or "0.0.0.0")
        {
            kestrel.ListenAnyIP(url.Port);
        }
        else if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, url.Port);
        }
        else
        {
            throw new OptionsValidationException(LabOptions.Section, typeof(LabOptions),
                [$"LAB_URLS: listen on an IP address or localhost, not '{url.Host}'"]);
        }
    }
}
