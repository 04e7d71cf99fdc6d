using System.Text.RegularExpressions;

namespace Matrix.Stack.Cli;

/// <summary>
/// The request of one access-log line: <c>METHOD&lt;TAB&gt;PATH</c>, or the quoted request line
/// (<c>"GET /path HTTP/1.1"</c>) that nginx's and Apache's combined format and HAProxy's HTTP log format share.
/// </summary>
internal static partial class AccessLogLine
{
    public static bool TryParse(string line, out string method, out string target)
    {
        var tab = line.Split('\t');
        if (tab.Length >= 2 && tab[1].StartsWith('/'))
        {
            (method, target) = (tab[0], tab[1]);
            return true;
        }
        // nginx: the first quoted field; HAProxy: the last one, after captured headers in braces. Both have this shape.
        var request = RequestLine().Match(line);
        if (request.Success)
        {
            (method, target) = (request.Groups["method"].Value, request.Groups["target"].Value);
            return true;
        }
        (method, target) = ("", "");
        return false;
    }

    [GeneratedRegex("\"(?<method>[A-Z]+) (?<target>/[^ \"]*) HTTP/[0-9.]+\"")]
    private static partial Regex RequestLine();
}
