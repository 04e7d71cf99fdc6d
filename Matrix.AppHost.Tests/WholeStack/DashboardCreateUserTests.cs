using Matrix.AppHost.Synapse;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.Stack.Layout;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// The dashboard's "Create user" command on Synapse's main process, executed as the dashboard does (through the
/// AppHost's resource command service, with its two arguments) against the real stack; an admin registered by the test
/// checks with Synapse's admin API that the user exists with the flag asked for.
/// </summary>
[Collection(WholeStackCollection.Name)]
public sealed class DashboardCreateUserTests(WholeStackFixture stack)
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheCreateUserCommandMakesTheUserShowsItsPasswordOnceAndNamesAnExistingUser(bool admin)
    {
        using var cancellation = new CancellationTokenSource(Budget);
        var ct = cancellation.Token;
        var user = $"dash-{(admin ? "admin" : "user")}-{Guid.NewGuid():N}"[..24];

        var result = await ExecuteAsync(user, admin, ct);
        Assert.True(result.Success, $"the command failed: {result.Message}");
        Assert.StartsWith("created @" + user + ":", result.Message, StringComparison.Ordinal);
        var userId = result.Message!["created ".Length..].Split(' ')[0];
        var shown = result.Data?.Value ?? "";
        var password = System.Text.RegularExpressions.Regex.Match(shown, @"^password: (\S{24})$", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(password.Success, $"the result shows no generated password: {shown}");

        var checker = stack.Client();
        await checker.RegisterAsync(AppHostFactory.SecretValue("registration-shared-secret"), $"check-{Guid.NewGuid():N}"[..16], "check password", ct, admin: true);
        Assert.Equal(admin, await checker.IsServerAdminAsync(userId, ct));

        var again = await ExecuteAsync(user, admin, ct);
        Assert.False(again.Success);
        Assert.Contains($"user '{user}' exists already", again.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password.Groups[1].Value, again.Message ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFullMatrixIdIsRefusedBeforeAnythingIsSent()
    {
        using var cancellation = new CancellationTokenSource(Budget);
        var result = await ExecuteAsync("@mallory:example.org", admin: false, cancellation.Token);
        Assert.False(result.Success);
        // The command's argument validation refused it (the dashboard shows the validator's text beside the input;
        // in-process the result carries Aspire's summary), so the callback never ran and nothing reached Synapse.
        Assert.Contains("argument validation failed", result.Message, StringComparison.OrdinalIgnoreCase);
    }

    private Task<ExecuteCommandResult> ExecuteAsync(string user, bool admin, CancellationToken ct)
    {
        var main = SynapseLayout.Create(Matrix.Stack.Presets.StackPresets.Create("monolith")).Main.Host;
        var arguments = new InteractionInputCollection(
        [
            new InteractionInput { Name = CreateUserCommand.UserArgument, InputType = InputType.Text, Value = user },
            new InteractionInput { Name = CreateUserCommand.AdminArgument, InputType = InputType.Boolean, Value = admin ? "true" : "false" },
        ]);
        return stack.Resources.WithFailuresAsync(stack.App.ResourceCommands.ExecuteCommandAsync(main, CreateUserCommand.Name, arguments, ct), "the create-user command");
    }
}
