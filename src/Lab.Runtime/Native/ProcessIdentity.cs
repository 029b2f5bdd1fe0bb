using Tmds.Linux;

namespace Lab.Runtime.Native;

/// <summary>Who this server process runs as (geteuid(2)): root may give files away and talk to any peer; another
/// user only to its own.</summary>
public static class ProcessIdentity
{
    public static uint EffectiveUserId => LibC.geteuid();
}
