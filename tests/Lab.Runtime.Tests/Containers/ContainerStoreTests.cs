using Lab.Runtime.Containers;

namespace Lab.Runtime.Tests.Containers;

/// <summary>Container records on disk (ContainerStore): replaced by rename without fsync, and what a power cut can
/// leave of a first record.</summary>
public sealed class ContainerStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lab-test-store-").FullName;

    [Fact]
    public void A_saved_record_reads_back_and_each_save_replaces_it_without_leftovers()
    {
        var store = new ContainerStore(_dir);
        var record = Record(Id("0"));

        store.Save(record);
        store.Save(record with { Name = "renamed" });

        Assert.Equal("renamed", store.Load("m", record.Id)!.Name);
        Assert.Equal(["container.json"], Directory.GetFiles(store.DirectoryOf("m", record.Id)).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4096)]
    public void A_first_record_that_never_reached_the_disk_reads_as_no_container(int zeros)
    {
        var store = new ContainerStore(_dir);
        store.Save(Record(Id("0")));
        var lost = store.DirectoryOf("m", Id("4"));
        Directory.CreateDirectory(lost);
        File.WriteAllBytes(Path.Combine(lost, "container.json"), new byte[zeros]);

        Assert.Null(store.Load("m", Id("4")));
        Assert.Equal([Id("0")], store.List("m").Select(r => r.Id));
    }

    [Fact]
    public void A_record_damaged_otherwise_is_an_error_naming_the_file()
    {
        var store = new ContainerStore(_dir);
        var dir = store.DirectoryOf("m", Id("8"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "container.json"), "{\"Id\":");

        var error = Assert.Throws<LabException>(() => store.Load("m", Id("8")));

        Assert.Contains("container.json", error.Message);
    }

    [Fact]
    public void Lookups_use_what_the_store_wrote_without_reading_every_record_again()
    {
        var store = new ContainerStore(_dir);
        var record = Record(Id("1"));
        store.Save(record);
        Assert.Single(store.List("m"));
        // Only this store writes records: a file changed behind its back (same directory) is not read again.
        File.WriteAllText(Path.Combine(store.DirectoryOf("m", record.Id), "container.json"), "{\"Id\":");

        Assert.Equal(record.Name, store.Load("m", record.Id)!.Name);
        store.Save(record with { Name = "renamed" });
        Assert.Equal("renamed", store.List("m").Single().Name);
    }

    [Fact]
    public void A_container_created_or_removed_by_another_store_is_seen()
    {
        var store = new ContainerStore(_dir);
        store.Save(Record(Id("1")));
        Assert.Single(store.List("m"));
        Thread.Sleep(50); // past the kernel's coarse mtime granularity (a jiffy)

        var other = new ContainerStore(_dir);
        other.Save(Record(Id("2")));
        Assert.Equal([Id("1"), Id("2")], store.List("m").Select(r => r.Id).Order());

        Thread.Sleep(50);
        other.Delete("m", Id("1"));
        Assert.Equal([Id("2")], store.List("m").Select(r => r.Id));
        Assert.Null(store.Load("m", Id("1")));
    }

    [Fact]
    public void A_machine_removed_and_made_again_has_none_of_its_old_containers()
    {
        var store = new ContainerStore(_dir);
        store.Save(Record(Id("3")));
        Assert.Single(store.List("m"));

        Directory.Delete(Path.Combine(_dir, "m"), recursive: true);
        Assert.Empty(store.List("m"));
        Directory.CreateDirectory(Path.Combine(_dir, "m", "containers"));
        Assert.Empty(store.List("m"));
    }

    private static string Id(string digit) => string.Concat(Enumerable.Repeat(digit, 64));

    private static ContainerRecord Record(string id) => new()
    {
        Id = id, Name = "n" + id, Machine = "m", Created = DateTimeOffset.UtcNow, ImageName = "busybox", ImageId = "sha256:00",
        Layers = [], Spec = new ContainerSpec { Image = "busybox" },
        Config = new EffectiveConfig
        {
            Entrypoint = [], Cmd = ["true"], Env = [], WorkingDir = "", User = "", Hostname = id, Labels = new Dictionary<string, string>(),
            ExposedPorts = [], Volumes = [], StopSignal = "SIGTERM",
        },
    };

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
