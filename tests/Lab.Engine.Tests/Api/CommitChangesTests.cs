using Lab.Engine.Api;
using Lab.Runtime;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Tests.Api;

/// <summary><c>--change</c> of commit and import goes through the builder's Dockerfile parser and config steps.</summary>
public sealed class CommitChangesTests
{
    static readonly ContainerConfig Base = new() { Env = ["PATH=/bin", "HOME=/root"], WorkingDir = "/srv", Cmd = ["sh"] };

    [Fact]
    public void Changes_are_parsed_like_Dockerfile_lines_with_expansion_quoting_and_json_forms()
    {
        var config = CommitChanges.Apply(Base, [
            "ENV APP=/opt/app GREETING=\"hello world\"",
            "ENV WHERE=$APP/bin",
            "WORKDIR app",
            "EXPOSE 8080 53/udp",
            "LABEL \"made by\"=lab",
            "ENTRYPOINT [\"python\", \"-u\"]",
            "CMD app.py --port 8080",
        ]);
        Assert.Equal(["PATH=/bin", "HOME=/root", "APP=/opt/app", "GREETING=hello world", "WHERE=/opt/app/bin"], config.Env);
        Assert.Equal("/srv/app", config.WorkingDir);
        Assert.Equal(["53/udp", "8080/tcp"], config.ExposedPorts!.Keys.Order());
        Assert.Equal("lab", config.Labels!["made by"]);
        Assert.Equal(["python", "-u"], config.Entrypoint);
        Assert.Equal(["/bin/sh", "-c", "app.py --port 8080"], config.Cmd);
    }

    [Fact]
    public void A_change_may_continue_on_the_next_line_and_healthcheck_is_accepted()
    {
        var config = CommitChanges.Apply(Base, ["HEALTHCHECK --interval=5s \\\n  CMD wget -q -O- http://localhost/"]);
        Assert.Equal("[\"CMD-SHELL\",\"wget -q -O- http://localhost/\"]", config.Extra!["Healthcheck"].GetProperty("Test").GetRawText());
    }

    [Fact]
    public void An_entrypoint_without_cmd_in_the_same_changes_clears_the_old_cmd()
    {
        Assert.Null(CommitChanges.Apply(Base, ["ENTRYPOINT [\"top\"]"]).Cmd);
        Assert.Equal(["-b"], CommitChanges.Apply(Base, ["CMD [\"-b\"]", "ENTRYPOINT [\"top\"]"]).Cmd);
    }

    [Theory]
    [InlineData("RUN echo hi", "RUN is not a valid change command")]
    [InlineData("FROM busybox", "FROM is not a valid change command")]
    [InlineData("NOPE x", "unknown instruction: NOPE")]
    [InlineData("ENV", "ENV requires at least one argument")]
    public void Bad_changes_are_refused_with_dockerds_words(string change, string message)
    {
        var error = Assert.Throws<LabException>(() => CommitChanges.Apply(Base, [change]));
        Assert.Contains(message, error.Message);
    }
}
