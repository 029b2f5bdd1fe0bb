using System.Text;
using System.Text.Json;
using Lab.Engine.Events;
using Lab.Engine.Http;
using Lab.Engine.Images;
using Lab.Engine.Registry.Client;
using Lab.Runtime.Images.Oci;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>POST /images/create?fromImage=…&amp;tag=…</c> (docker pull, and docker run of a missing image): the
/// image comes from its registry into the caller machine's names, with dockerd's JSON progress stream, which the
/// CLI draws as its usual bars. Errors once the stream has started are its last line, as dockerd writes them.</summary>
public static class ImagesCreate
{
    public static async Task Handle(HttpContext context)
    {
        var caller = Caller.From(context);
        var query = context.Request.Query;
        if (!string.IsNullOrEmpty(query["fromSrc"])) { await ImagesImport.Handle(context); return; }
        var reference = ReferenceOf(query["fromImage"], query["tag"]);
        var catalog = context.RequestServices.GetRequiredService<ImageCatalog>();
        var client = context.RequestServices.GetRequiredService<PullSource>().Client();

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var progress = new JsonProgressWriter(context.Response.Body, context.RequestAborted);
        try
        {
            var names = catalog.For(caller.Machine).Names; // charges the machine's disk for the layers it pulls
            // A pull refused part-way (the disk quota, a registry error) takes its blobs back out of the shared store.
            await catalog.UndoneOnFailureAsync(content => client.PullAsync(reference, content, names, progress,
                Credentials(context.Request.Headers["X-Registry-Auth"]), context.RequestAborted));
            await names.Charge.SettleAsync(caller.Machine, context.RequestAborted); // a tag moved off an older image
            var pulled = reference.Digest is null ? reference.WithDefaultTag() : reference;
            context.RequestServices.GetRequiredService<EngineEvents>().Image(caller.Machine, "pull", pulled.FamiliarString,
                pulled.FamiliarName, catalog.For(caller.Machine).Find(pulled.ToString())?.Labels);
        }
        catch (Exception e) when (e is Lab.Runtime.LabException or HttpRequestException)
        {
            progress.ReportError(e.Message);
        }
    }

    static Reference ReferenceOf(string? image, string? tag)
    {
        if (string.IsNullOrEmpty(image)) throw EngineErrors.InvalidParameter("fromImage or fromSrc must be given");
        var text = string.IsNullOrEmpty(tag) ? image : tag.StartsWith("sha256:", StringComparison.Ordinal) ? $"{image}@{tag}" : $"{image}:{tag}";
        return Reference.TryParse(text, out var reference)
            ? reference!
            : throw EngineErrors.InvalidParameter($"invalid reference format: {text}");
    }

    /// <summary>X-Registry-Auth: base64url JSON {"username","password"} or {"username","identitytoken"} from the
    /// CLI's stored login, if any.</summary>
    internal static RegistryCredentials? Credentials(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        try
        {
            var padded = header.Replace('-', '+').Replace('_', '/');
            padded = padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '=');
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
            string? Text(string name) => json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var user = Text("username");
            var password = Text("password");
            var identity = Text("identitytoken");
            return string.IsNullOrEmpty(user) || (password is null && string.IsNullOrEmpty(identity))
                ? null
                : new RegistryCredentials(user, password ?? "", string.IsNullOrEmpty(identity) ? null : identity);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null; // dockerd ignores an unreadable header and pulls anonymously
        }
    }
}
