using Lab.Web.Classes;

namespace Lab.Web.Tests.Classes;

public sealed class JoinCodesTests
{
    [Fact]
    public void New_codes_are_eight_unambiguous_characters_and_differ()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => JoinCodes.New()).ToList();

        Assert.All(codes, code => Assert.Matches("^[ACDEFGHJKMNPQRTUVWXY34679]{8}$", code));
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }

    [Theory]
    [InlineData("ACDE-FGHJ", "ACDEFGHJ")]
    [InlineData(" acde fghj ", "ACDEFGHJ")]
    [InlineData("acdefghj", "ACDEFGHJ")]
    public void Typed_codes_ignore_case_spaces_and_dashes(string typed, string stored) =>
        Assert.Equal(stored, JoinCodes.Normalize(typed));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ACDE-FGH")]       // too short
    [InlineData("ACDE-FGHJK")]     // too long
    [InlineData("ACDE-FGH0")]      // 0 is not in the alphabet (looks like O)
    [InlineData("not a code")]
    public void What_cannot_be_a_code_is_refused(string? typed) => Assert.Null(JoinCodes.Normalize(typed));

    [Fact]
    public void Codes_are_shown_in_two_groups() => Assert.Equal("ACDE-FGHJ", JoinCodes.Display("ACDEFGHJ"));
}
