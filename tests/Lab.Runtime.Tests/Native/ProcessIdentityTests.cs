using Lab.Runtime.Native;

namespace Lab.Runtime.Tests.Native;

public class ProcessIdentityTests
{
    [Fact]
    public void The_effective_user_is_the_one_id_reports()
    {
        var id = Lab.Runtime.Tests.Images.Oci.Inode.Run("id", "-u").Trim();

        Assert.Equal(uint.Parse(id), ProcessIdentity.EffectiveUserId);
    }
}
