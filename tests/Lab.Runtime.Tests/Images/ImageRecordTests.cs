using Lab.Runtime.Images;

namespace Lab.Runtime.Tests.Images;

public sealed class ImageRecordTests : IDisposable
{
    readonly ImageTestDir _dir = new();

    [Fact]
    public void A_saved_record_loads_back_and_leaves_no_temp_file()
    {
        var path = _dir.Combine("busybox.json");
        var record = new ImageRecord("busybox", "sha256:aa", "sha256:bb", DateTimeOffset.UnixEpoch, 42);

        record.Save(path);

        Assert.Equal(record, ImageRecord.TryLoad(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
        Assert.Contains("\"recipeHash\": \"sha256:aa\"", File.ReadAllText(path));
    }

    [Fact]
    public void A_missing_or_unreadable_record_means_not_built()
    {
        File.WriteAllText(_dir.Combine("garbled.json"), "{ not json");

        Assert.Null(ImageRecord.TryLoad(_dir.Combine("missing.json")));
        Assert.Null(ImageRecord.TryLoad(_dir.Combine("garbled.json")));
    }

    public void Dispose() => _dir.Dispose();
}
