using System.Text;

namespace Matrix.Stack.LaunchScripts;

/// <summary>
/// Builds the POSIX <c>sh</c> script that starts a component in its container when a secret reaches the container
/// only as a one-value file (a Kubernetes Secret key, an Aspire secret parameter) but the component wants it inside a
/// file of its own. The script reads the secret files, prepares what the component needs in private files, then
/// execs it. Secret values stay in shell variables and builtins (<c>printf</c>): never on a command line, never
/// printed. The script itself holds no secret.
/// </summary>
/// <param name="component">Names the component in every message the script stops with.</param>
public sealed class LaunchScript(string component)
{
    private readonly StringBuilder _text = new(
        "set -eu\n" +
        // Every file the script creates, the secret-bearing ones above all, is readable by its owner only.
        "umask 077\n" +
        // Character ranges in the checks below are bytes, whatever locale the image sets.
        "export LC_ALL=C\n");

    public LaunchScript Line(string line)
    {
        _text.Append(line).Append('\n');
        return this;
    }

    /// <summary>Stops the container with <paramref name="message"/> (on standard error) when the shell condition holds.</summary>
    public LaunchScript FailWhen(string condition, string message) =>
        Line($"if {condition}; then echo {ShellQuoting.Quote($"{component}: {message}")} >&2; exit 1; fi");

    /// <summary>Stops the container unless <paramref name="path"/> is a readable file.</summary>
    public LaunchScript RequireFile(string path, string what) =>
        FailWhen($"[ ! -r {ShellQuoting.Quote(path)} ]", $"{what} {path} is missing or unreadable");

    /// <summary>
    /// Reads the secret file <paramref name="path"/> into the shell variable <paramref name="variable"/>. Trailing
    /// line breaks are dropped (a secret file may end with one); a missing, empty or <paramref name="rule"/>-breaking
    /// value stops the container, naming the secret and the file, never the value.
    /// </summary>
    public LaunchScript ReadSecret(string variable, string path, string secretName, SecretValueRule rule)
    {
        var what = $"the secret '{secretName}' in {path}";
        RequireFile(path, $"the file of the secret '{secretName}',");
        Line($"{variable}=$(cat {ShellQuoting.Quote(path)})");
        Line($"case ${variable} in");
        Line($"  '') echo {ShellQuoting.Quote($"{component}: {what} is empty")} >&2; exit 1 ;;");
        if (rule.ForbiddenPattern.Length > 0)
        {
            Line($"  {rule.ForbiddenPattern}) echo {ShellQuoting.Quote($"{component}: {what} cannot be used: {rule.Description}")} >&2; exit 1 ;;");
        }
        Line("esac");
        if (rule.MaxLength is { } maxLength)
        {
            FailWhen($"[ \"${{#{variable}}}\" -gt {maxLength} ]", $"{what} cannot be used: it is longer than {maxLength} characters");
        }
        return this;
    }

    /// <summary>A new private file (mode 0600, in <c>$TMPDIR</c> or /tmp) whose path is put in the shell variable.</summary>
    public LaunchScript PrivateTemporaryFile(string variable, string template) =>
        Line($"{variable}=$(mktemp \"${{TMPDIR:-/tmp}}/{template}.XXXXXX\")");

    /// <summary>A new private directory (mode 0700, in <c>$TMPDIR</c> or /tmp) whose path is put in the shell variable.</summary>
    public LaunchScript PrivateTemporaryDirectory(string variable, string template) =>
        Line($"{variable}=$(mktemp -d \"${{TMPDIR:-/tmp}}/{template}.XXXXXX\")");

    public override string ToString() => _text.ToString();
}
