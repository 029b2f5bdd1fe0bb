using Lab.Runtime.Machines;
using Lab.Web.Accounts;

namespace Lab.Web.Tests.Accounts;

public sealed class MachineNamesTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("Zoé.Dupont", "zoe-dupont")]
    [InlineData("--a__b--", "a-b")]
    [InlineData("élève@école.fr", "eleve-ecole-fr")]
    [InlineData("___", "user")]
    [InlineData("日本", "user")]
    public void User_names_become_hostname_safe_stems(string userName, string stem) =>
        Assert.Equal(stem, MachineNames.Stem(userName));

    [Fact]
    public void Long_names_are_cut_without_a_trailing_dash()
    {
        var stem = MachineNames.Stem(new string('a', 39) + "-bbbb");

        Assert.Equal(new string('a', 39), stem);
    }

    [Fact]
    public void Names_get_a_random_suffix_and_are_valid_machine_names()
    {
        var names = Enumerable.Range(0, 50).Select(_ => MachineNames.For("Zoé")).ToList();

        Assert.All(names, name => Assert.Matches("^zoe-[a-z0-9]{6}$", name));
        Assert.All(names, name => Assert.True(MachineName.IsValid(name)));
        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
