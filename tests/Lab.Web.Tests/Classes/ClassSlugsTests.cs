using Lab.Web.Classes;

namespace Lab.Web.Tests.Classes;

public sealed class ClassSlugsTests
{
    [Theory]
    [InlineData("Docker — Groupe A", "docker-groupe-a")]
    [InlineData("  Réseaux & Conteneurs 2026 ", "reseaux-conteneurs-2026")]
    [InlineData("!!!", "")]
    public void Slugs_are_made_from_names(string name, string slug) => Assert.Equal(slug, ClassSlugs.FromName(name));

    [Fact]
    public void A_long_name_gives_a_slug_within_the_limit_without_a_trailing_dash()
    {
        var slug = ClassSlugs.FromName(new string('a', 39) + " bcd");

        Assert.Equal(new string('a', 39), slug);
        Assert.True(ClassSlugs.IsValid(slug));
    }

    [Theory]
    [InlineData("docker-a", true)]
    [InlineData("b2.group_1", true)]
    [InlineData("Docker", false)]      // registry namespaces are lowercase
    [InlineData("-docker", false)]
    [InlineData("docker/a", false)]
    [InlineData("", false)]
    public void Slugs_follow_the_registry_namespace_rule(string slug, bool valid) => Assert.Equal(valid, ClassSlugs.IsValid(slug));

    [Theory]
    [InlineData("library")]
    [InlineData("new")]
    [InlineData("join")]
    public void Library_and_page_names_are_reserved(string slug) => Assert.True(ClassSlugs.IsReserved(slug));
}
