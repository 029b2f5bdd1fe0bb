using Lab.Engine.Build.Parsing;

namespace Lab.Engine.Tests.Build.Parsing;

public sealed class ShellWordsTests
{
    static readonly ShellWords Words = new(["A=apple", "EMPTY=", "SPACED=a b"]);

    [Theory]
    [InlineData("$A", "apple")]
    [InlineData("${A}s", "apples")]
    [InlineData("${MISSING:-pear}", "pear")]
    [InlineData("${EMPTY:-pear}", "pear")]
    [InlineData("${EMPTY-pear}", "")]
    [InlineData("${A:+set}", "set")]
    [InlineData("${MISSING:+set}", "")]
    [InlineData("'$A'", "$A")]
    [InlineData("\"$A and \\$A\"", "apple and $A")]
    [InlineData("\\$A", "$A")]
    [InlineData("$", "$")]
    public void Words_expand_like_the_dockerfile_lexer(string word, string expected) =>
        Assert.Equal(expected, Words.ProcessWord(word));

    [Fact]
    public void Unset_with_question_mark_is_an_error_with_the_message()
    {
        var e = Assert.Throws<FormatException>(() => Words.ProcessWord("${MISSING:?needed here}"));
        Assert.Equal("MISSING: needed here", e.Message);
    }

    [Fact]
    public void Expanded_whitespace_splits_words_but_quoted_does_not()
    {
        Assert.Equal(["a", "b", "c d"], Words.ProcessWords("$SPACED \"c d\""));
    }

    [Fact]
    public void Split_words_keeps_quotes_and_escapes()
    {
        Assert.Equal(["a=\"x y\"", "b=c\\ d"], ShellWords.SplitWords("a=\"x y\"  b=c\\ d", '\\'));
    }
}
