using Lab.Runtime;

namespace Lab.Web.Errors;

/// <summary>The one place where a domain error kind becomes an HTTP status. Pages, the JSON API, the control
/// socket and the CLI all go through it; handlers never choose statuses themselves.</summary>
public static class ErrorStatus
{
    public static int Of(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidParameter => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
