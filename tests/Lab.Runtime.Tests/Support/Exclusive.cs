namespace Lab.Runtime.Tests.Support;

/// <summary>Tests that measure the machine (CPU time) run alone, not beside other test classes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Exclusive
{
    public const string Name = "exclusive";
}
