using System.IO.Compression;
using System.Text.Json;
using Lab.Engine.Http;
using Lab.Engine.Images;
using Lab.Runtime;
using Lab.Runtime.Archives;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Oci;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Lab.Engine.Api;

/// <summary><c>POST /images/create?fromSrc=-&amp;repo=&amp;tag=&amp;message=&amp;changes=</c> (docker import): the body,
/// a root filesystem tar (plain or gzip), becomes the single layer of a new image, its config made by the --change
/// instructions. A body larger than the machine's disk quota is refused. Answers {"status": "sha256:…"}.</summary>
public static class ImagesImport
{
    public static async Task Handle(HttpContext context)
    {
        var caller = Caller.From(context);
        var query = context.Request.Query;
        var ct = context.RequestAborted;
        if (query["fromSrc"].ToString() != "-")
            throw EngineErrors.InvalidParameter(
                "importing from a URL is not possible here: a lab machine has no network. Send the file instead: docker import file.tar name (or cat file.tar | docker import - name)");
        var name = RepoTag.Parse(query["repo"], query["tag"]);
        var config = CommitChanges.Apply(new ContainerConfig(), query["changes"].Select(c => c ?? ""));
        var containers = context.RequestServices.GetRequiredService<ContainerHost>();
        var quota = containers.Machines.Find(caller.Machine)?.Limits.DiskBytes ?? long.MaxValue;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;

        var received = TempFile();
        var layer = TempFile();
        try
        {
            await CopyBoundedAsync(context.Request.Body, received, quota, ct);
            received.Position = 0;
            await DecompressAsync(received, layer, quota, ct);
            layer.Position = 0;
            await CheckTarAsync(layer, ct);
            layer.Position = 0;
            var message = query["message"].ToString();
            var history = new HistoryEntry { CreatedBy = "", Comment = message.Length > 0 ? message : "Imported from -" };
            var catalog = context.RequestServices.GetRequiredService<ImageCatalog>();
            // Refused by the disk quota when it is named: its blobs go back out of the shared store.
            var registered = await catalog.UndoneOnFailureAsync(async content =>
                await catalog.For(caller.Machine).RegisterAsync(
                    await containers.Images.CreateChildAsync(null, layer, config, history, ct, content), name, ct));
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { status = registered.Id.ToString() }) + "\r\n", ct);
        }
        finally
        {
            await received.DisposeAsync();
            await layer.DisposeAsync();
        }
    }

    static FileStream TempFile() => new(Path.Combine(Path.GetTempPath(), $"lab-import-{Guid.NewGuid():N}"), FileMode.CreateNew,
        FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    static LabException TooLarge(long quota) =>
        new(ErrorKind.Conflict, $"the imported archive is larger than the lab machine's disk quota ({quota >> 20} MiB)");

    static async Task CopyBoundedAsync(Stream source, Stream destination, long quota, CancellationToken ct)
    {
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = await source.ReadAsync(buffer, ct)) > 0)
        {
            total += n;
            if (total > quota) throw TooLarge(quota);
            await destination.WriteAsync(buffer.AsMemory(0, n), ct);
        }
    }

    /// <summary>gzip is undone (the layer is stored uncompressed, its digest its diff id); a plain tar is copied.</summary>
    static async Task DecompressAsync(Stream received, Stream layer, long quota, CancellationToken ct)
    {
        var magic = new byte[6];
        var n = await received.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, ct);
        received.Position = 0;
        if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            await using var gzip = new GZipStream(received, CompressionMode.Decompress, leaveOpen: true);
            try
            {
                await CopyBoundedAsync(gzip, layer, quota, ct);
            }
            catch (InvalidDataException e)
            {
                throw EngineErrors.InvalidParameter($"the archive is not a readable gzip file: {e.Message}");
            }
            return;
        }
        if (n >= 3 && magic[0] == (byte)'B' && magic[1] == (byte)'Z' && magic[2] == (byte)'h'
            || n >= 6 && magic.AsSpan().SequenceEqual((byte[])[0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0])
            || n >= 4 && magic.AsSpan(0, 4).SequenceEqual((byte[])[0x28, 0xb5, 0x2f, 0xfd]))
            throw EngineErrors.InvalidParameter("the archive is compressed with bzip2, xz or zstd: import a plain or gzip-compressed tar");
        await received.CopyToAsync(layer, ct);
    }

    static async Task CheckTarAsync(Stream layer, CancellationToken ct)
    {
        try
        {
            await using var reader = new XattrTarReader(layer); // binary xattr values are no reason to refuse it
            while (await reader.GetNextEntryAsync(ct) is not null) { }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            throw EngineErrors.InvalidParameter($"the archive is not a readable tar: {e.Message}");
        }
    }
}
