using System.Text;
using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Tests.Images.Oci;

/// <summary>The JSON types against documents shaped as registries, Docker and the OCI spec write them.</summary>
public sealed class OciJsonTests
{
    const string Hex1 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    const string Hex2 = "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7";

    static string Text(byte[] json) => Encoding.UTF8.GetString(json);

    [Fact]
    public void A_manifest_is_written_with_the_specs_field_names_and_no_nulls()
    {
        var manifest = new ImageManifest
        {
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Parse("sha256:" + Hex1), Size = 7 },
            Layers = [new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Parse("sha256:" + Hex2), Size = 42 }],
        };

        Assert.Equal(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
            $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:{Hex1}\",\"size\":7}}," +
            $"\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:{Hex2}\",\"size\":42}}]}}",
            Text(OciJson.Serialize(manifest)));
    }

    [Fact]
    public void A_docker_image_config_reads_into_every_field_and_keeps_what_it_does_not_model()
    {
        var json = $$"""
            {
              "architecture": "amd64",
              "os": "linux",
              "created": "2024-05-14T01:28:23.123456789Z",
              "docker_version": "20.10.23",
              "config": {
                "User": "www-data",
                "ExposedPorts": { "80/tcp": {}, "443/tcp": {} },
                "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NGINX_VERSION=1.25.5"],
                "Entrypoint": ["/docker-entrypoint.sh"],
                "Cmd": ["nginx", "-g", "daemon off;"],
                "Volumes": { "/var/cache/nginx": {} },
                "WorkingDir": "/srv",
                "Labels": { "maintainer": "NGINX Docker Maintainers <docker-maint@nginx.com>" },
                "StopSignal": "SIGQUIT",
                "Healthcheck": { "Test": ["CMD", "curl", "-f", "http://localhost/"], "Interval": 30000000000 },
                "OnBuild": null
              },
              "rootfs": { "type": "layers", "diff_ids": ["sha256:{{Hex1}}", "sha256:{{Hex2}}"] },
              "history": [
                { "created": "2024-05-13T20:04:36Z", "created_by": "/bin/sh -c #(nop) ADD file:abc in / " },
                { "created": "2024-05-13T20:04:36Z", "created_by": "/bin/sh -c #(nop)  CMD [\"bash\"]", "empty_layer": true }
              ]
            }
            """;

        var config = OciJson.Deserialize<ImageConfig>(Encoding.UTF8.GetBytes(json), "config");

        Assert.Equal(("amd64", "linux"), (config.Architecture, config.Os));
        Assert.Equal(new DateTimeOffset(2024, 5, 14, 1, 28, 23, TimeSpan.Zero).AddTicks(1234567), config.Created);
        var c = config.Config!;
        Assert.Equal("www-data", c.User);
        Assert.Equal(["80/tcp", "443/tcp"], c.ExposedPorts!.Keys);
        Assert.Equal("NGINX_VERSION=1.25.5", c.Env![1]);
        Assert.Equal(["/docker-entrypoint.sh"], c.Entrypoint!);
        Assert.Equal(["nginx", "-g", "daemon off;"], c.Cmd!);
        Assert.Equal(["/var/cache/nginx"], c.Volumes!.Keys);
        Assert.Equal(("/srv", "SIGQUIT"), (c.WorkingDir, c.StopSignal));
        Assert.StartsWith("NGINX", c.Labels!["maintainer"]);
        Assert.Equal([Digest.Parse("sha256:" + Hex1), Digest.Parse("sha256:" + Hex2)], config.RootFs.DiffIds);
        Assert.Equal([null, true], config.History!.Select(h => h.EmptyLayer));

        var rewritten = Text(OciJson.Serialize(config));
        Assert.Contains("\"docker_version\":\"20.10.23\"", rewritten);
        Assert.Contains("\"Healthcheck\":{\"Test\":[\"CMD\",\"curl\",\"-f\",\"http://localhost/\"],\"Interval\":30000000000}", rewritten);
        Assert.Contains("\"ExposedPorts\":{\"80/tcp\":{},\"443/tcp\":{}}", rewritten);
        Assert.Contains("\"diff_ids\":[", rewritten);
    }

    [Fact]
    public void A_docker_manifest_list_reads_as_an_index_with_platforms()
    {
        var json = $$"""
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
              "manifests": [
                { "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 1,
                  "digest": "sha256:{{Hex1}}", "platform": { "architecture": "arm", "os": "linux", "variant": "v7" } },
                { "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 2,
                  "digest": "sha256:{{Hex2}}", "platform": { "architecture": "amd64", "os": "windows", "os.version": "10.0.17763.5820" } }
              ]
            }
            """;

        var index = OciJson.Deserialize<ImageIndex>(Encoding.UTF8.GetBytes(json), "index");

        Assert.Equal(MediaTypes.DockerManifestList, index.MediaType);
        Assert.Equal("linux/arm/v7", index.Manifests[0].Platform!.ToString());
        Assert.Equal("10.0.17763.5820", index.Manifests[1].Platform!.OsVersion);
        Assert.Contains("\"os.version\":\"10.0.17763.5820\"", Text(OciJson.Serialize(index)));
    }

    [Theory]
    [InlineData("""{"architecture":"amd64","os":"linux"}""", "rootfs")]
    [InlineData("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["md5:00"]}}""", "md5:00")]
    [InlineData("""not json""", "config blob")]
    public void Malformed_documents_are_invalid_parameters_that_say_what_is_wrong(string json, string mentioned)
    {
        var error = Assert.Throws<LabException>(() => OciJson.Deserialize<ImageConfig>(Encoding.UTF8.GetBytes(json), "config blob"));

        Assert.Equal(ErrorKind.InvalidParameter, error.Kind);
        Assert.Contains(mentioned, error.Message);
    }
}
