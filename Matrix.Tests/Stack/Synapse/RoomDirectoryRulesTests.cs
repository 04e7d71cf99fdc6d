using Matrix.Stack.Presets;
using Matrix.Stack.Settings;
using Matrix.Stack.Synapse;
using Matrix.Stack.Validation;

namespace Matrix.Tests.Stack.Synapse;

/// <summary>room_list_publication_rules: without them real Synapse 1.160 refuses every publication, admins' too (403).</summary>
public class RoomDirectoryRulesTests
{
    [Fact]
    public void ByDefaultTheAdminAccountMayPublishAndEveryoneElseIsDenied()
    {
        var options = StackPresets.Create(StackPresets.Monolith);
        options.ServerName = "example.org";
        var rules = RenderedSynapse.Of(options).Homeserver["room_list_publication_rules"]!.AsArray();

        Assert.Equal(
            "[{\"user_id\":\"@admin:example.org\",\"alias\":\"*\",\"room_id\":\"*\",\"action\":\"allow\"},{\"user_id\":\"*\",\"alias\":\"*\",\"room_id\":\"*\",\"action\":\"deny\"}]",
            rules.ToJsonString());
    }

    [Fact]
    public void PublishersAreLocalpartsOrUserIdGlobsAndEmptyMeansNobody()
    {
        var options = StackPresets.Create(StackPresets.Monolith);
        options.ServerName = "example.org";
        Assert.Empty(StackSettings.Apply(options, [new(RoomDirectoryRules.Setting, "moderator, @*:staff.example.org")]));
        var rules = RenderedSynapse.Of(options).Homeserver["room_list_publication_rules"]!.AsArray();
        Assert.Equal(["@moderator:example.org", "@*:staff.example.org", "*"], rules.Select(r => r!["user_id"]!.GetValue<string>()));

        Assert.Empty(StackSettings.Apply(options, [new(RoomDirectoryRules.Setting, "")]));
        Assert.Equal("deny", Assert.Single(RenderedSynapse.Of(options).Homeserver["room_list_publication_rules"]!.AsArray())!["action"]!.GetValue<string>());
    }

    [Fact]
    public void AnEntryThatIsNeitherIsAProblemNamingTheSetting()
    {
        var options = StackPresets.Create(StackPresets.Monolith);
        Assert.Empty(StackSettings.Apply(options, [new(RoomDirectoryRules.Setting, "Chief Admin")]));
        var problem = Assert.Single(StackValidator.Validate(options), p => p.Setting == RoomDirectoryRules.Setting);
        Assert.Contains("'Chief Admin'", problem.Message, StringComparison.Ordinal);
    }
}
