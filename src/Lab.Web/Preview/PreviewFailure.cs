using System.Net.Sockets;
using Lab.Runtime;
using Lab.Web.Localization;
using Microsoft.Extensions.Localization;

namespace Lab.Web.Preview;

/// <summary>Why a connection to a student's app failed, as the visitor should read it: the machine is unknown or
/// stopped (404), or nothing listens on that port in it (502).</summary>
public static class PreviewFailure
{
    /// <summary>True when <paramref name="error"/> is a failure to reach the app (rather than a bug of ours).</summary>
    public static bool IsUnreachable(Exception error) =>
        error is HttpRequestException or System.Net.WebSockets.WebSocketException or SocketException or LabException
        || (error.InnerException is { } inner && IsUnreachable(inner));

    public static Task WriteAsync(HttpContext context, PreviewPath target, Exception error)
    {
        var text = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        return Find<LabException>(error) is { Kind: ErrorKind.NotFound or ErrorKind.Conflict }
            ? PreviewProblemPage.WriteAsync(context, StatusCodes.Status404NotFound,
                text["The lab machine {0} is not running.", target.Machine],
                text["Open a lesson to start it, then reload this page."])
            : PreviewProblemPage.WriteAsync(context, StatusCodes.Status502BadGateway,
                text["Nothing answers on port {0} of {1}.", target.Port, target.Machine],
                text["Start a container that publishes this port (docker run -p {0}:...), then reload this page.", target.Port]);
    }

    private static T? Find<T>(Exception? error) where T : Exception =>
        error is null ? null : error as T ?? Find<T>(error.InnerException);
}
