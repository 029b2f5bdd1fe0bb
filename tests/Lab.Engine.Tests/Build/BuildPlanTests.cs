using Lab.Engine.Build;
using Lab.Engine.Build.Parsing;
using Lab.Runtime;

namespace Lab.Engine.Tests.Build;

public sealed class BuildPlanTests
{
    static BuildPlan Plan(string dockerfile, BuildOptions? options = null) =>
        BuildPlan.Create(DockerfileParser.Parse(dockerfile), options ?? new BuildOptions());

    [Fact]
    public void Steps_count_meta_args_every_stage_and_its_instructions()
    {
        var plan = Plan("ARG V=1\nFROM busybox AS build\nRUN true\nFROM busybox\nCOPY --from=build / /\nCMD [\"sh\"]\n");
        Assert.Equal(6, plan.Total);
        Assert.Equal(["build", null], plan.Stages.Select(s => s.Name));
    }

    [Fact]
    public void Target_drops_the_later_stages()
    {
        var plan = Plan("FROM busybox AS one\nRUN true\nFROM busybox AS two\nRUN false\n", new BuildOptions { Target = "ONE" });
        Assert.Single(plan.Stages);
        Assert.Equal(2, plan.Total);
    }

    [Fact]
    public void Labels_from_the_command_line_are_a_last_step()
    {
        var plan = Plan("FROM busybox\n", new BuildOptions { Labels = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" } });
        Assert.Equal(2, plan.Total);
        Assert.Equal("LABEL \"a\"='1' \"b\"='2'", plan.Stages[0].Commands[^1].Original);
    }

    [Theory]
    [InlineData("RUN true\n", "dockerfile parse error line 1: no build stage in current context")]
    [InlineData("FROM a b\n", "dockerfile parse error line 1: FROM requires either one or three arguments")]
    [InlineData("FROM a\nCOPY onlyone\n", "dockerfile parse error line 2: COPY requires at least two arguments")]
    [InlineData("FROM a\nCOPY --mode=1 a b\n", "dockerfile parse error line 2: unknown flag: mode")]
    [InlineData("FROM a AS x\nFROM b AS x\n", "dockerfile parse error line 2: duplicate stage name \"x\"")]
    [InlineData("", "the Dockerfile (Dockerfile) cannot be empty")]
    public void Bad_dockerfiles_are_refused_before_anything_runs(string dockerfile, string message)
    {
        var e = Assert.Throws<LabException>(() => Plan(dockerfile));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void An_unknown_target_says_so() =>
        Assert.Equal("failed to reach build target nope in Dockerfile",
            Assert.Throws<LabException>(() => Plan("FROM a\n", new BuildOptions { Target = "nope" })).Message);
}
