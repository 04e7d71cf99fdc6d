using System.Text.RegularExpressions;
using Matrix.Stack.Model;
using Matrix.Stack.Yaml;

namespace Matrix.Stack.Synapse;

/// <summary>
/// <c>room_list_publication_rules</c>: who may publish a room to the server's room directory. Synapse denies everyone,
/// server admins included, unless a rule allows it, and its rules match user IDs, not admin status; so the publishers
/// are named (<c>synapse.roomDirectoryPublishers</c>: localparts or user-ID globs), each allowed, everyone else denied.
/// </summary>
public static partial class RoomDirectoryRules
{
    public const string Setting = "synapse.roomDirectoryPublishers";

    public static List<object?> Render(StackOptions options) =>
        [
            .. options.Synapse.RoomDirectoryPublishers.Select(publisher => (object?)Rule(UserIdGlob(publisher, options.ServerName), "allow")),
            Rule("*", "deny"),
        ];

    /// <summary>A problem with one entry, or null: a localpart (<c>admin</c>) or a user-ID glob (<c>@*:example.org</c>).</summary>
    public static string? Check(string publisher) =>
        Localpart().IsMatch(publisher) || UserIdGlob().IsMatch(publisher)
            ? null
            : $"'{publisher}' is neither a localpart (lower-case letters, digits, ._=-/+) nor a user-ID glob like @*:example.org";

    private static string UserIdGlob(string publisher, string serverName) =>
        publisher.StartsWith('@') ? publisher : $"@{publisher}:{serverName}";

    private static YamlMapping Rule(string userId, string action) => new()
    {
        { "user_id", userId },
        { "alias", "*" },
        { "room_id", "*" },
        { "action", action },
    };

    [GeneratedRegex("^[a-z0-9._=/+-]+$")]
    private static partial Regex Localpart();

    [GeneratedRegex("^@[^:\\s]+:[^\\s]+$")]
    private static partial Regex UserIdGlob();
}
