using System.Text;
using System.Text.Json;
using Lab.Engine.Events;
using Lab.Engine.Http;
using Lab.Runtime.Containers;
using Lab.Runtime.Containers.Filesystem;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Lab.Engine.Api;

/// <summary><c>/containers/{id}/archive?path=</c> (docker cp, moby daemon/archive.go): HEAD stats a path, GET sends it
/// as a tar, PUT unpacks a tar into a directory (noOverwriteDirNonDir, copyUIDGID). The stat travels in the
/// X-Docker-Container-Path-Stat header as base64 JSON. Works on running and stopped containers; every path resolves
/// inside the container's root.</summary>
public static class ContainersArchive
{
    public const string StatHeader = "X-Docker-Container-Path-Stat";

    public static async Task<IResult> Head(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        var stat = await containers.StatPathAsync(caller.Machine, id, PathOf(context), context.RequestAborted);
        context.Response.Headers[StatHeader] = Encode(stat);
        return Results.Ok();
    }

    public static async Task Get(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        await containers.ReadArchiveAsync(caller.Machine, id, PathOf(context), stat =>
        {
            context.Response.Headers[StatHeader] = Encode(stat);
            context.Response.ContentType = "application/x-tar";
            return Task.FromResult(context.Response.Body);
        }, context.RequestAborted);
        Events(context).Container(containers.Get(caller.Machine, id), "archive-path");
    }

    /// <summary>dockerd logs "archive-path" for a copy out and "extract-to-dir" for a copy in (not for the stat).</summary>
    static EngineEvents Events(HttpContext context) => context.RequestServices.GetRequiredService<EngineEvents>();

    public static async Task<IResult> Put(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        // What is copied in is bounded by the machine's disk quota, which the extraction reports when it is reached.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;
        context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true; // TarReader reads synchronously
        await containers.ExtractArchiveAsync(caller.Machine, id, PathOf(context), context.Request.Body,
            QueryBool.Get(context, "noOverwriteDirNonDir"), QueryBool.Get(context, "copyUIDGID"), context.RequestAborted);
        Events(context).Container(containers.Get(caller.Machine, id), "extract-to-dir");
        return Results.Ok();
    }

    static string PathOf(HttpContext context) =>
        context.Request.Query["path"].ToString() is { Length: > 0 } path
            ? path
            : throw EngineErrors.InvalidParameter("path cannot be empty");

    /// <summary>moby's ContainerPathStat JSON, base64 (standard alphabet, as Go's base64.StdEncoding).</summary>
    static string Encode(PathStat stat) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["name"] = stat.Name,
        ["size"] = stat.Size,
        ["mode"] = stat.Mode,
        ["mtime"] = stat.Mtime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"),
        ["linkTarget"] = stat.LinkTarget,
    })));
}
