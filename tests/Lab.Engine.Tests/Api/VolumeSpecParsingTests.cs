using System.Text.Json;
using Lab.Engine.Containers;
using Lab.Runtime;
using Lab.Runtime.Containers;

namespace Lab.Engine.Tests.Api;

/// <summary>HostConfig.Binds / Mounts / Tmpfs parsed as dockerd's linux parser does, with its messages.</summary>
public sealed class VolumeSpecParsingTests
{
    [Theory]
    [InlineData("/srv/a:/data", "bind", "/srv/a", "/data", false, "")]
    [InlineData("/srv/a/../b:/data/./x:ro", "bind", "/srv/b", "/data/x", true, "ro")]
    [InlineData("cache:/var/cache", "volume", "cache", "/var/cache", false, "z")]
    [InlineData("cache:/var/cache:ro,nocopy", "volume", "cache", "/var/cache", true, "ro,nocopy")]
    [InlineData("/anonymous", "volume", "", "/anonymous", false, "z")]
    public void Binds_become_binds_or_volumes(string raw, string type, string source, string target, bool readOnly, string mode)
    {
        var m = MountRequests.ParseBind(raw);

        Assert.Equal((type, source, target, readOnly, mode), (m.Type, m.Source, m.Target, m.ReadOnly, m.Mode));
        Assert.Equal(type == "bind", m.CreateSource);
    }

    [Theory]
    [InlineData("", "invalid volume specification: ''")]
    [InlineData("/a:/b:ro:x", "invalid volume specification: '/a:/b:ro:x'")]
    [InlineData("/data:rw", "invalid volume specification: '/data:rw'")]
    [InlineData("/a:/b:rw,ro", "invalid mode: rw,ro")]
    [InlineData("/a:b", "invalid volume specification: '/a:b': invalid mount path: 'b' mount path must be absolute")]
    [InlineData("/a:/", "invalid volume specification: '/a:/': invalid specification: destination can't be '/'")]
    [InlineData("a b:/x", "\"a b\" includes invalid characters for a local volume name")]
    public void Bad_binds_are_refused_in_dockerds_words(string raw, string message)
    {
        var e = Assert.Throws<LabException>(() => MountRequests.ParseBind(raw));

        Assert.Equal(ErrorKind.InvalidParameter, e.Kind);
        Assert.Contains(message, e.Message);
    }

    static ContainerMount Mount(string json) => MountRequests.ParseMount(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void Mounts_carry_their_options()
    {
        var volume = Mount("""{"Type":"volume","Source":"v1","Target":"/v","ReadOnly":true,"VolumeOptions":{"NoCopy":true,"Labels":{"a":"b"}}}""");
        var tmpfs = Mount("""{"Type":"tmpfs","Target":"/t","TmpfsOptions":{"SizeBytes":1048576,"Mode":448,"Options":[["exec"]]}}""");
        var bind = Mount("""{"Type":"bind","Source":"/srv","Target":"/s","BindOptions":{"CreateMountpoint":true}}""");

        Assert.Equal(("v1", "/v", true, true), (volume.Source, volume.Target, volume.ReadOnly, volume.NoCopy));
        Assert.Equal("b", volume.VolumeLabels!["a"]);
        Assert.Equal((1048576L, 448, "exec"), (tmpfs.TmpfsSize, tmpfs.TmpfsMode!.Value, Assert.Single(tmpfs.TmpfsOptions)));
        Assert.True(bind.CreateSource);
    }

    [Theory]
    [InlineData("""{"Type":"bind","Target":"/x"}""", "invalid mount config for type \"bind\": field Source must not be empty")]
    [InlineData("""{"Type":"bind","Source":"rel","Target":"/x"}""", "invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute")]
    [InlineData("""{"Type":"volume","Target":"/x","ReadOnly":true}""", "invalid mount config for type \"volume\": must not set ReadOnly mode when using anonymous volumes")]
    [InlineData("""{"Type":"volume","Source":"v","Target":"/x","BindOptions":{}}""", "invalid mount config for type \"volume\": field BindOptions must not be specified")]
    [InlineData("""{"Type":"tmpfs","Source":"s","Target":"/x"}""", "invalid mount config for type \"tmpfs\": field Source must not be specified")]
    [InlineData("""{"Type":"tmpfs","Target":"/x","TmpfsOptions":{"Options":[["suid"]]}}""", "invalid mount config for type \"tmpfs\": invalid option: suid")]
    [InlineData("""{"Type":"weird","Target":"/x"}""", "invalid mount config for type \"weird\": mount type unknown")]
    [InlineData("""{"Type":"volume","Source":"v"}""", "invalid mount config for type \"volume\": field Target must not be empty")]
    public void Bad_mounts_are_refused_in_dockerds_words(string json, string message)
    {
        var e = Assert.Throws<LabException>(() => Mount(json));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Tmpfs_options_are_checked_and_kept()
    {
        var ok = MountRequests.ParseTmpfs("/run", "rw,noexec,size=64m,mode=1777");
        var bad = Assert.Throws<LabException>(() => MountRequests.ParseTmpfs("/run", "size=64m,loud"));

        Assert.Equal(["rw", "noexec", "size=64m", "mode=1777"], ok.TmpfsOptions);
        Assert.Contains("invalid tmpfs option \"loud\"", bad.Message);
    }
}
