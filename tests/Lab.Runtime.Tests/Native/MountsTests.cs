using Lab.Runtime.Native;

namespace Lab.Runtime.Tests.Native;

/// <summary>Mounts.Detach on paths where nothing is mounted: the cases a scratch dir's cleanup meets after a
/// parent's lazy detach took its children along.</summary>
public class MountsTests
{
    [Fact]
    public void Detaching_where_nothing_is_mounted_or_nothing_exists_reports_false()
    {
        var dir = Directory.CreateTempSubdirectory($"lab-test-{Environment.ProcessId}-mounts-").FullName;
        try
        {
            Assert.False(Mounts.Detach(dir));
            Assert.False(Mounts.Detach(Path.Combine(dir, "gone")));
        }
        finally { Directory.Delete(dir); }
    }
}
