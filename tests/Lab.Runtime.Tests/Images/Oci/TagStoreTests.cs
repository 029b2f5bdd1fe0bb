using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Tests.Images.Oci;

public sealed class TagStoreTests : IDisposable
{
    readonly ImageTestDir _dir = new();
    string Root => _dir.Combine("store");

    static Descriptor Manifest(string seed) => new()
    {
        MediaType = MediaTypes.OciManifest,
        Digest = Digest.Of(System.Text.Encoding.UTF8.GetBytes(seed)),
        Size = seed.Length,
    };

    static Reference Ref(string text) => Reference.Parse(text);

    [Fact]
    public async Task A_tagged_name_resolves_to_its_manifest_with_latest_implied()
    {
        var store = new TagStore(Root, "alice");

        await store.TagAsync(Ref("nginx"), Manifest("nginx"));

        Assert.Equal(Manifest("nginx"), store.Resolve(Ref("nginx:latest")));
        Assert.Equal(Manifest("nginx"), store.Resolve(Ref("docker.io/library/nginx")));
        Assert.Null(store.Resolve(Ref("nginx:1.25")));
        Assert.Equal(["docker.io/library/nginx:latest"], store.List().Select(t => t.Reference.ToString()));
    }

    [Fact]
    public async Task A_students_tag_never_changes_another_namespace()
    {
        var alice = new TagStore(Root, "alice");
        var bob = new TagStore(Root, "bob");
        await alice.TagAsync(Ref("web:v1"), Manifest("alice's web"));
        await bob.TagAsync(Ref("web:v1"), Manifest("bob's web"));

        await alice.TagAsync(Ref("web:v1"), Manifest("alice's web, rebuilt"));
        await alice.UntagAsync(Ref("web:v1"));
        await alice.TagAsync(Ref("debian"), Manifest("debian"));

        Assert.Equal(Manifest("bob's web"), bob.Resolve(Ref("web:v1")));
        Assert.Null(bob.Resolve(Ref("debian")));
        Assert.Equal(["docker.io/library/web:v1"], bob.List().Select(t => t.Reference.ToString()));
    }

    [Fact]
    public async Task Tagging_an_existing_name_moves_it_and_untagging_removes_only_that_name()
    {
        var store = new TagStore(Root, "alice");
        await store.TagAsync(Ref("app:v1"), Manifest("first build"));
        await store.TagAsync(Ref("app:stable"), Manifest("first build"));

        await store.TagAsync(Ref("app:v1"), Manifest("second build"));
        var removed = await store.UntagAsync(Ref("app:stable"));
        var removedAgain = await store.UntagAsync(Ref("app:stable"));

        Assert.Equal(Manifest("second build"), store.Resolve(Ref("app:v1")));
        Assert.Null(store.Resolve(Ref("app:stable")));
        Assert.True(removed);
        Assert.False(removedAgain);
    }

    [Fact]
    public async Task Names_survive_a_new_store_object_and_are_listed_sorted_with_familiar_forms()
    {
        var store = new TagStore(Root, "alice");
        await store.TagAsync(Ref("registry.lab.local:5000/classe/app:1"), Manifest("app"));
        await store.TagAsync(Ref("busybox"), Manifest("busybox"));
        await store.TagAsync(Ref($"debian@{Manifest("debian").Digest}"), Manifest("debian"));

        var listed = new TagStore(Root, "alice").List();

        Assert.Equal(
            ["busybox:latest", $"debian@{Manifest("debian").Digest}", "registry.lab.local:5000/classe/app:1"],
            listed.Select(t => t.Reference.FamiliarString));
        Assert.Equal(Manifest("debian"), listed[1].Target);
    }

    [Fact]
    public async Task A_digest_reference_must_name_the_digest_it_is_given()
    {
        var store = new TagStore(Root, "alice");

        var error = await Assert.ThrowsAsync<LabException>(
            () => store.TagAsync(Ref($"debian@{Manifest("debian").Digest}"), Manifest("something else")));

        Assert.Equal(ErrorKind.InvalidParameter, error.Kind);
        Assert.Empty(store.List());
    }

    [Fact]
    public async Task Concurrent_tags_in_one_namespace_are_all_kept()
    {
        var store = new TagStore(Root, "alice");

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => new TagStore(Root, "alice").TagAsync(Ref($"app:v{i}"), Manifest($"build {i}")))));

        Assert.Equal(6, store.List().Count);
        Assert.Equal(Manifest("build 3"), store.Resolve(Ref("app:v3")));
    }

    [Fact]
    public async Task The_namespace_file_is_json_under_names_and_a_corrupt_one_is_an_error_not_an_empty_list()
    {
        var store = new TagStore(Root, "alice");
        await store.TagAsync(Ref("nginx"), Manifest("nginx"));
        var file = Path.Combine(Root, "names", "alice.json");
        Assert.Contains("\"docker.io/library/nginx:latest\"", File.ReadAllText(file));

        File.WriteAllText(file, "{ \"references\": ");

        var error = Assert.Throws<LabException>(() => store.List());
        Assert.Contains("alice.json", error.Message);
        await Assert.ThrowsAsync<LabException>(() => store.TagAsync(Ref("other"), Manifest("other")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../alice")]
    [InlineData(".hidden")]
    [InlineData("Alice")]
    [InlineData("a/b")]
    public void Namespaces_are_plain_lowercase_file_names(string name)
    {
        var error = Assert.Throws<LabException>(() => new TagStore(Root, name));

        Assert.Equal(ErrorKind.InvalidParameter, error.Kind);
    }

    public void Dispose() => _dir.Dispose();
}
