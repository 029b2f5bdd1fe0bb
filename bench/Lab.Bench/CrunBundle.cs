using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Lab.Bench;

/// <summary>An OCI bundle from `crun spec`, pointed at our rootfs, running `true` without a terminal.</summary>
public static class CrunBundle
{
    public static string Create(string dir, string rootfs)
    {
        Directory.CreateDirectory(dir);
        using (var p = Process.Start(new ProcessStartInfo("crun", ["spec"]) { WorkingDirectory = dir })!) p.WaitForExit();
        var path = Path.Combine(dir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["root"]!["path"] = rootfs;
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray("/bin/true");
        File.WriteAllText(path, config.ToJsonString());
        return dir;
    }
}
