using Lab.Engine.Build.Parsing;
using Lab.Runtime;

namespace Lab.Engine.Tests.Build.Parsing;

public sealed class DockerfileParserTests
{
    [Fact]
    public void Continuations_join_lines_and_skip_comments_inside()
    {
        var doc = DockerfileParser.Parse("FROM debian\nRUN apt-get update \\\n# inside\n    && echo done\n");
        Assert.Equal(2, doc.Instructions.Count);
        Assert.Equal("RUN apt-get update     && echo done", doc.Instructions[1].Original);
        Assert.Equal(2, doc.Instructions[1].Line);
    }

    [Fact]
    public void Escape_directive_changes_the_continuation_character()
    {
        var doc = DockerfileParser.Parse("# escape=`\n# syntax=docker/dockerfile:1\nFROM busybox\nRUN echo a `\n  b\n");
        Assert.Equal('`', doc.Escape);
        Assert.Equal("RUN echo a   b", doc.Instructions[1].Original);
    }

    [Fact]
    public void Unknown_instruction_names_its_line()
    {
        var e = Assert.Throws<LabException>(() => DockerfileParser.Parse("FROM busybox\n\nFOO bar\n"));
        Assert.Equal("dockerfile parse error line 3: unknown instruction: FOO", e.Message);
    }

    [Fact]
    public void Exec_and_shell_forms_are_told_apart()
    {
        var doc = DockerfileParser.Parse("FROM x\nCMD [\"python\", \"app.py\"]\nRUN echo [not json\n");
        Assert.True(doc.Instructions[1].IsJson);
        Assert.Equal(["python", "app.py"], doc.Instructions[1].Args);
        Assert.False(doc.Instructions[2].IsJson);
        Assert.Equal(["echo [not json"], doc.Instructions[2].Args);
    }

    [Fact]
    public void Env_accepts_both_forms_and_keeps_quotes_for_the_expander()
    {
        var doc = DockerfileParser.Parse("FROM x\nENV A hello world\nENV B=\"two words\" C=3\n");
        Assert.Equal(["A", "hello world"], doc.Instructions[1].Args);
        Assert.Equal(["B", "\"two words\"", "C", "3"], doc.Instructions[2].Args);
    }

    [Fact]
    public void Env_word_without_equals_in_the_new_form_is_a_syntax_error()
    {
        var e = Assert.Throws<LabException>(() => DockerfileParser.Parse("FROM x\nENV A=1 B\n"));
        Assert.Contains("line 2: Syntax error - can't find = in \"B\"", e.Message);
    }

    [Fact]
    public void Copy_flags_are_taken_off_the_arguments()
    {
        var copy = DockerfileParser.Parse("FROM x\nCOPY --from=build --chown=1000:1000 /out /app/\n").Instructions[1];
        Assert.Equal("build", copy.Flag("from"));
        Assert.Equal("1000:1000", copy.Flag("chown"));
        Assert.Equal(["/out", "/app/"], copy.Args);
    }

    [Fact]
    public void Onbuild_holds_its_trigger_and_refuses_chaining()
    {
        var onbuild = DockerfileParser.Parse("FROM x\nONBUILD COPY . /src\n").Instructions[1];
        Assert.Equal("COPY", onbuild.Inner!.Keyword);
        Assert.Throws<LabException>(() => DockerfileParser.Parse("FROM x\nONBUILD ONBUILD RUN true\n"));
    }
}
