using System.Text.RegularExpressions;
using Matrix.Stack.Cli;
using Matrix.Tests.Infrastructure;

namespace Matrix.Tests.Stack;

/// <summary>
/// Every Matrix.Stack CLI command shown in a shell block of README.md or docs/*.md runs as written, in order, in one
/// scratch folder per document: exit code 0, or the code its <c># exits N</c> comment states, and, where the document
/// shows the output on the next line, exactly that output. (The other documented commands are what CI itself runs:
/// .ci/run, ./test.sh, tests/images/build.sh, and the publish commands the drift tests repeat. A command marked
/// <c># needs the running stack</c> is run by Matrix.AppHost.Tests' whole-stack test against the stack it starts.)
/// </summary>
[Collection(CurrentDirectoryCollection.Name)]
public partial class DocumentedCommandsTests
{
    private const string Prefix = "dotnet run --project Matrix.Stack.Cli -- ";
    private const string NeedsRunningStack = "# needs the running stack";

    /// <summary>A small access log for commands that read one from standard input, in the formats the docs name.</summary>
    private const string AccessLog =
        "203.0.113.7 - - [01/Dec/2026:10:00:00 +0000] \"GET /_matrix/client/v3/sync?since=s1 HTTP/1.1\" 200 512 \"-\" \"curl\"\n" +
        "PUT\t/_matrix/federation/v1/send/123\n";

    public static TheoryData<string> Documents =>
        new(new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md")
            .Select(path => Path.GetRelativePath(RepositoryPaths.Root, path).Replace('\\', '/'))).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryDocumentedCliCommandRunsAsWritten(string document)
    {
        var scratch = Directory.CreateTempSubdirectory("documented-commands-").FullName;
        var previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = scratch;
            var commands = Commands(File.ReadAllLines(Path.Combine(RepositoryPaths.Root, document))).ToList();
            // README shows the whole workflow (generate-secrets, render, validate, explain): a parser that finds
            // nothing there has stopped reading the docs, not found them clean.
            Assert.True(document != "README.md" || commands.Count >= 4, $"README.md: found {commands.Count} CLI commands");
            foreach (var command in commands)
            {
                var output = new StringWriter();
                var error = new StringWriter();
                var input = command.StandardInput is null ? "" : AccessLog;
                var code = StackCommandLine.Run([.. command.Arguments], new CliConsole(new StringReader(input), output, error));
                Assert.True(code == command.ExpectedExitCode,
                    $"{document}: `{command.Text}` exited {code}, not {command.ExpectedExitCode}:{Environment.NewLine}{error}");
                if (command.ShownOutput is { } shown)
                {
                    Assert.Equal(shown, output.ToString().Trim());
                }
            }
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(scratch, recursive: true);
        }
    }

    private sealed record DocumentedCommand(string Text, IReadOnlyList<string> Arguments, int ExpectedExitCode, string? StandardInput, string? ShownOutput);

    private static IEnumerable<DocumentedCommand> Commands(string[] lines)
    {
        var inShellBlock = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inShellBlock = !inShellBlock && line is "```sh" or "```bash" or "```shell";
                continue;
            }
            if (!inShellBlock || !line.StartsWith(Prefix, StringComparison.Ordinal) || line.Contains(NeedsRunningStack, StringComparison.Ordinal))
            {
                continue;
            }
            var comment = line.IndexOf(" #", StringComparison.Ordinal);
            var expected = comment >= 0 && ExitsComment().Match(line[comment..]) is { Success: true } exits ? int.Parse(exits.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            var text = (comment >= 0 ? line[..comment] : line).Trim();
            var arguments = ShellWords(text[Prefix.Length..]).ToList();
            string? standardInput = null;
            if (arguments.Count >= 2 && arguments[^2] == "<")
            {
                standardInput = arguments[^1];
                arguments.RemoveRange(arguments.Count - 2, 2);
            }
            var next = i + 1 < lines.Length ? lines[i + 1].Trim() : "";
            yield return new DocumentedCommand(text, arguments, expected, standardInput, next.StartsWith('{') ? next : null);
        }
    }

    // Words as a POSIX shell splits them for the quoting the docs use: blanks, 'single' and "double" quotes.
    private static IEnumerable<string> ShellWords(string text)
    {
        foreach (Match word in ShellWord().Matches(text))
        {
            yield return word.Groups[1].Success ? word.Groups[1].Value : word.Groups[2].Success ? word.Groups[2].Value : word.Value;
        }
    }

    [GeneratedRegex(@"exits (\d+)")]
    private static partial Regex ExitsComment();

    [GeneratedRegex(@"'([^']*)'|""([^""]*)""|[^\s'""]+")]
    private static partial Regex ShellWord();
}
