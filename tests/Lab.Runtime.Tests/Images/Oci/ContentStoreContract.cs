using System.Text;
using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Tests.Images.Oci;

/// <summary>What every <see cref="IContentStore"/> must do. Each implementation's test class derives from this
/// and supplies a fresh, empty store.</summary>
public abstract class ContentStoreContract
{
    protected abstract IContentStore CreateStore();

    static MemoryStream Content(string text) => new(Encoding.UTF8.GetBytes(text));

    static string ReadText(IContentStore store, Digest digest)
    {
        using var reader = new StreamReader(store.OpenRead(digest));
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task A_written_blob_reads_back_under_the_sha256_of_its_bytes()
    {
        var store = CreateStore();

        var info = await store.WriteAsync(Content("hello, layer"));

        Assert.Equal(Digest.Of("hello, layer"u8), info.Digest);
        Assert.Equal(12, info.Size);
        Assert.True(store.Exists(info.Digest));
        Assert.Equal(12, store.SizeOf(info.Digest));
        Assert.Equal("hello, layer", ReadText(store, info.Digest));
    }

    [Fact]
    public async Task Content_matching_the_expected_digest_is_stored()
    {
        var store = CreateStore();
        var expected = Digest.Of("config"u8);

        var info = await store.WriteAsync(Content("config"), expected);

        Assert.Equal(expected, info.Digest);
        Assert.True(store.Exists(expected));
    }

    [Fact]
    public async Task Content_not_matching_the_expected_digest_is_refused_and_nothing_is_stored()
    {
        var store = CreateStore();
        var announced = Digest.Of("the real layer"u8);

        var error = await Assert.ThrowsAsync<DigestMismatchException>(
            () => store.WriteAsync(Content("a forged layer"), announced));

        Assert.Equal(announced, error.Expected);
        Assert.Equal(Digest.Of("a forged layer"u8), error.Actual);
        Assert.Contains(announced.ToString(), error.Message);
        Assert.False(store.Exists(announced));
        Assert.False(store.Exists(error.Actual));
        Assert.Empty(store.List());
    }

    [Fact]
    public async Task Writing_content_the_store_already_holds_changes_nothing()
    {
        var store = CreateStore();
        var first = await store.WriteAsync(Content("same bytes"));

        var second = await store.WriteAsync(Content("same bytes"), first.Digest);

        Assert.Equal(first, second);
        Assert.Equal([first.Digest], store.List());
        Assert.Equal("same bytes", ReadText(store, first.Digest));
    }

    [Fact]
    public async Task Concurrent_writers_of_the_same_content_all_succeed()
    {
        var store = CreateStore();
        var bytes = new byte[1 << 20];
        new Random(7).NextBytes(bytes);

        var results = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => store.WriteAsync(new MemoryStream(bytes), Digest.Of(bytes)))));

        Assert.All(results, r => Assert.Equal(Digest.Of(bytes), r.Digest));
        Assert.Equal([Digest.Of(bytes)], store.List());
    }

    [Fact]
    public void A_missing_blob_does_not_exist_has_no_size_and_cannot_be_opened()
    {
        var store = CreateStore();
        var missing = Digest.Of("never written"u8);

        Assert.False(store.Exists(missing));
        Assert.Null(store.SizeOf(missing));
        var error = Assert.Throws<LabException>(() => store.OpenRead(missing));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains(missing.ToString(), error.Message);
    }

    [Fact]
    public async Task Delete_removes_a_blob_and_reports_whether_there_was_one()
    {
        var store = CreateStore();
        var info = await store.WriteAsync(Content("short-lived"));
        var kept = await store.WriteAsync(Content("kept"));

        Assert.True(store.Delete(info.Digest));
        Assert.False(store.Delete(info.Digest));

        Assert.False(store.Exists(info.Digest));
        Assert.Equal([kept.Digest], store.List());
    }

    [Fact]
    public async Task A_staged_blob_is_readable_but_invisible_until_committed()
    {
        var store = CreateStore();

        using var staged = await store.StageAsync(Content("manifest.json"));

        Assert.Equal(Digest.Of("manifest.json"u8), staged.Digest);
        Assert.Equal(13, staged.Size);
        Assert.False(store.Exists(staged.Digest));
        using (var reader = new StreamReader(staged.OpenRead()))
            Assert.Equal("manifest.json", await reader.ReadToEndAsync());

        var info = staged.Commit(staged.Digest);

        Assert.True(store.Exists(info.Digest));
    }

    [Fact]
    public async Task A_discarded_staged_blob_leaves_nothing_behind()
    {
        var store = CreateStore();

        using (await store.StageAsync(Content("unreferenced file of an archive"))) { }

        Assert.Empty(store.List());
    }

    [Fact]
    public async Task List_names_every_stored_blob()
    {
        var store = CreateStore();
        var a = await store.WriteAsync(Content("a"));
        var b = await store.WriteAsync(Content("b"));

        Assert.Equal(new[] { a.Digest, b.Digest }.OrderBy(d => d.Hex), store.List().OrderBy(d => d.Hex));
    }
}
