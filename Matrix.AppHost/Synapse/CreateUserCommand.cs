using Matrix.Stack.Synapse;
using Microsoft.Extensions.Logging;

namespace Matrix.AppHost.Synapse;

/// <summary>
/// The dashboard's "Create user" command on Synapse's main process: what <c>matrix-stack create-user</c> does (the same
/// <see cref="SharedSecretRegistration"/>), asking for the user name and the admin flag, through the router's endpoint
/// with the registration secret parameter's value. The generated password is shown once in the command's result, and
/// neither it nor the secret is logged.
/// </summary>
public static class CreateUserCommand
{
    public const string Name = "create-user";
    public const string UserArgument = "user";
    public const string AdminArgument = "admin";

    public static IResourceBuilder<SynapseProcessResource> WithCreateUserCommand(
        this IResourceBuilder<SynapseProcessResource> main, IResourceBuilder<ProjectResource> router, string routerEndpoint,
        IResourceBuilder<ParameterResource> registrationSecret)
    {
        var options = new CommandOptions
        {
            Description = "Create a Matrix user (an admin if ticked) with Synapse's registration shared secret, through the router; the generated password is shown once",
            IconName = "PersonAdd",
            Arguments =
            [
                new InteractionInput
                {
                    Name = UserArgument,
                    Label = "User name",
                    Description = "The localpart: 'alice' becomes @alice:<server name>",
                    InputType = InputType.Text,
                    Required = true,
                },
                new InteractionInput { Name = AdminArgument, Label = "Server admin", InputType = InputType.Boolean, Value = "true" },
            ],
            ValidateArguments = context =>
            {
                if (context.Inputs.GetString(UserArgument) is { } user && SharedSecretRegistration.LocalpartProblem(user) is { } problem)
                {
                    context.AddValidationError(UserArgument, problem);
                }
                return Task.CompletedTask;
            },
            UpdateState = context => context.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                ? ResourceCommandState.Enabled
                : ResourceCommandState.Disabled,
        };
        return main.WithCommand(Name, "Create user", context => ExecuteAsync(context, router.Resource.GetEndpoint(routerEndpoint), registrationSecret.Resource), options);
    }

    private static async Task<ExecuteCommandResult> ExecuteAsync(ExecuteCommandContext context, EndpointReference router, ParameterResource registrationSecret)
    {
        var user = context.Arguments.GetString(UserArgument)?.Trim() ?? "";
        if (SharedSecretRegistration.LocalpartProblem(user) is { } problem)
        {
            return CommandResults.Failure($"user {problem}");
        }
        var admin = context.Arguments.ContainsName(AdminArgument) && context.Arguments.GetString(AdminArgument) is { Length: > 0 } && context.Arguments.GetBoolean(AdminArgument);
        if (!router.IsAllocated)
        {
            return CommandResults.Failure($"the router's endpoint has no address yet: wait for '{router.Resource.Name}' to run");
        }
        var secret = await registrationSecret.GetValueAsync(context.CancellationToken);
        if (string.IsNullOrEmpty(secret))
        {
            return CommandResults.Failure($"the parameter '{registrationSecret.Name}' has no value");
        }

        var password = SharedSecretRegistration.NewPassword();
        using var http = new HttpClient { BaseAddress = new Uri(router.Url), Timeout = SharedSecretRegistration.Timeout };
        string userId;
        try
        {
            userId = await new SharedSecretRegistration(http, $"the '{router.Resource.Name}' resource's endpoint")
                .RegisterAsync(secret, $"the parameter '{registrationSecret.Name}'", user, password, admin, context.CancellationToken);
        }
        catch (RegistrationFailedException e)
        {
            context.Logger.LogWarning("create-user: {Problem}", e.Message);
            return CommandResults.Failure(e.Message);
        }
        context.Logger.LogInformation("create-user: created {UserId}{Admin}; its password was shown once in the command's result", userId, admin ? " (server admin)" : "");
        var created = $"created {userId}{(admin ? " (server admin)" : "")}";
        return CommandResults.Success(
            created,
            $"{created}\npassword: {password}\n(shown once, stored nowhere: keep it, or change it after logging in)",
            CommandResultFormat.Text,
            displayImmediately: true);
    }
}
