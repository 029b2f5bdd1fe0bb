using System.Reflection;
using System.Text.RegularExpressions;

namespace Lab.Runtime.Tests.Native;

/// <summary>The project rule "every syscall is wrapped once in Lab.Runtime's native layer and used through that",
/// checked on the source tree: raw P/Invoke declarations only in src/Lab.Runtime/Interop, Tmds.Linux and the
/// Interop namespace only there and in src/Lab.Runtime/Native, and no Interop declaration of a call Tmds.LibC
/// already declares. A violation names the file, so whoever breaks the rule sees where.</summary>
public partial class NativeLayerRuleTests
{
    const string Interop = "src/Lab.Runtime/Interop/";
    const string Native = "src/Lab.Runtime/Native/";

    [Fact]
    public void The_source_tree_keeps_the_native_layer_rule()
    {
        var violations = Violations(TestImages.RepoRoot);
        Assert.True(violations.Count == 0, "native layer rule broken:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void A_raw_call_outside_the_native_layer_is_reported_with_its_file()
    {
        var root = Directory.CreateTempSubdirectory("lab-native-rule-").FullName;
        try
        {
            Write(root, "src/Lab.Engine/Sneaky.cs", """
                class Sneaky { [System.Runtime.InteropServices.DllImport("libc")] static extern int getpid(); }
                """);
            Write(root, "src/Lab.Runtime/Native/Wrapped.cs", """
                partial class Wrapped { [LibraryImport("libc")] static partial int getppid(); }
                """);
            Write(root, "src/Lab.Web/Peer.cs", "class Peer { uint Me => Tmds.Linux.LibC.geteuid(); }");
            Write(root, "src/Lab.Runtime/Images/Raw.cs", "using static Lab.Runtime.Interop.Syscalls;\nclass Raw { }");
            Write(root, "src/Lab.Runtime/Native/Fine.cs", "using Tmds.Linux;\nclass Fine { int Pid => LibC.getpid(); }");
            Write(root, "src/Lab.Runtime/Interop/Fine.cs", "partial class Calls { [LibraryImport(\"libc\")] static partial int waitpid(); }");

            var violations = Violations(root);

            Assert.Equal(
            [
                "src/Lab.Engine/Sneaky.cs: declares a P/Invoke outside src/Lab.Runtime/Interop",
                "src/Lab.Runtime/Images/Raw.cs: uses Lab.Runtime.Interop outside src/Lab.Runtime/Interop and src/Lab.Runtime/Native",
                "src/Lab.Runtime/Native/Wrapped.cs: declares a P/Invoke outside src/Lab.Runtime/Interop",
                "src/Lab.Web/Peer.cs: uses Tmds.Linux outside src/Lab.Runtime/Interop and src/Lab.Runtime/Native",
            ], violations);
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void Interop_declares_only_calls_Tmds_LibC_lacks_and_each_once()
    {
        var libc = typeof(Tmds.Linux.LibC).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var declared = Directory.EnumerateFiles(Path.Combine(TestImages.RepoRoot, Interop), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => ImportedName().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value))
            .ToList();

        Assert.NotEmpty(declared);
        Assert.Empty(declared.Where(libc.Contains));
        Assert.Empty(declared.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    /// <summary>Every file of <c>src</c> below <paramref name="root"/> that breaks the rule, with the reason.</summary>
    static List<string> Violations(string root)
    {
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.Contains("/obj/") || relative.Contains("/bin/")) continue;
            var text = File.ReadAllText(file);
            bool inInterop = relative.StartsWith(Interop, StringComparison.Ordinal);
            bool inNative = relative.StartsWith(Native, StringComparison.Ordinal);
            if (!inInterop && (ImportAttribute().IsMatch(text) || StaticExtern().IsMatch(text)))
                violations.Add($"{relative}: declares a P/Invoke outside {Interop.TrimEnd('/')}");
            if (!inInterop && !inNative)
            {
                if (text.Contains("Tmds.Linux", StringComparison.Ordinal))
                    violations.Add($"{relative}: uses Tmds.Linux outside {Interop.TrimEnd('/')} and {Native.TrimEnd('/')}");
                if (text.Contains("Lab.Runtime.Interop", StringComparison.Ordinal))
                    violations.Add($"{relative}: uses Lab.Runtime.Interop outside {Interop.TrimEnd('/')} and {Native.TrimEnd('/')}");
                if (text.Contains("GetLastPInvokeError", StringComparison.Ordinal))
                    violations.Add($"{relative}: reads errno outside {Interop.TrimEnd('/')} and {Native.TrimEnd('/')}");
            }
        }
        violations.Sort(StringComparer.Ordinal);
        return violations;
    }

    static void Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [GeneratedRegex(@"\[\s*(?:[\w.]+\.)?(?:DllImport|LibraryImport)(?:Attribute)?\s*\(")]
    private static partial Regex ImportAttribute();

    [GeneratedRegex(@"\bstatic\s+extern\b|\bextern\s+static\b")]
    private static partial Regex StaticExtern();

    /// <summary>The function name of each [LibraryImport]/[DllImport] declaration.</summary>
    [GeneratedRegex(@"\[\s*(?:LibraryImport|DllImport)\([^\]]*\)\]\s*(?:public|internal|private|static|extern|partial|unsafe|\s)+[\w*]+\s+(?<name>\w+)\s*\(")]
    private static partial Regex ImportedName();
}
