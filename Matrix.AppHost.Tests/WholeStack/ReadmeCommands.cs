namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// The commands README.md documents, found by their markers (<c>&lt;!-- readme-test: NAME --&gt;</c> right before a
/// fenced block or a paragraph), so the tests run exactly the documented lines and fail when a marker or its block is gone.
/// </summary>
public static class ReadmeCommands
{
    public const string LocalRun = "local-run";
    public const string FirstUser = "first-user";
    public const string Stop = "stop";

    private static string[] Lines => File.ReadAllLines(Path.Combine(Infrastructure.AppHostPaths.Root, "README.md"));

    /// <summary>The one command of the marked block: comments dropped, continued lines (<c>\</c>) joined with a space.</summary>
    public static string Single(string name)
    {
        var commands = Commands(name);
        Assert.True(commands.Count == 1, $"README.md's block marked '{name}' holds {commands.Count} commands, expected one: {string.Join(" | ", commands)}");
        return commands[0];
    }

    /// <summary>The commands of the fenced block after the marker <paramref name="name"/>.</summary>
    public static IReadOnlyList<string> Commands(string name)
    {
        var lines = Lines;
        var at = MarkerLine(lines, name) + 1;
        Assert.True(at < lines.Length && lines[at].StartsWith("```", StringComparison.Ordinal),
            $"README.md's marker '{name}' is not followed by a fenced code block");
        var commands = new List<string>();
        var current = "";
        for (var i = at + 1; ; i++)
        {
            Assert.True(i < lines.Length, $"README.md's block marked '{name}' is not closed");
            var line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                break;
            }
            var comment = line.TrimStart().StartsWith('#') ? line.IndexOf('#', StringComparison.Ordinal) : line.IndexOf(" #", StringComparison.Ordinal);
            var code = (comment >= 0 ? line[..comment] : line).Trim();
            var continued = code.EndsWith('\\');
            current = (current + " " + code.TrimEnd('\\').Trim()).Trim();
            if (!continued && current.Length > 0)
            {
                commands.Add(current);
                current = "";
            }
        }
        Assert.True(current.Length == 0, $"README.md's block marked '{name}' ends inside a continued line");
        return commands;
    }

    /// <summary>The paragraph after the marker <paramref name="name"/>, as one line.</summary>
    public static string Paragraph(string name)
    {
        var lines = Lines;
        return string.Join(' ', lines.Skip(MarkerLine(lines, name) + 1).TakeWhile(line => line.Trim().Length > 0).Select(line => line.Trim()));
    }

    private static int MarkerLine(string[] lines, string name)
    {
        var marker = $"<!-- readme-test: {name} -->";
        var found = lines.Select((line, index) => (line, index)).Where(l => l.line.Trim() == marker).Select(l => l.index).ToList();
        Assert.True(found.Count == 1, $"README.md has {found.Count} lines '{marker}', expected one: the test runs the block it marks");
        return found[0];
    }
}
