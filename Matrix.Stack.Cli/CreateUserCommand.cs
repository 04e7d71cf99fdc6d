using System.CommandLine;
using Matrix.Stack.Cli.Registration;
using Matrix.Stack.Synapse;

namespace Matrix.Stack.Cli;

/// <summary>
/// <c>create-user</c>: a Matrix account (an admin with <c>--admin</c>) on a running stack, through the router, with
/// Synapse's shared-secret registration, so the first user needs neither open registration nor a shell in a container.
/// The password never goes on the command line: it is read from standard input (<c>--password-stdin</c>) or generated
/// and printed once.
/// </summary>
internal static class CreateUserCommand
{
    public static Command Create(CliConsole console, Func<string, string?>? environment = null)
    {
        var url = new Option<string>("--url")
        {
            Description = "The router's URL (the dashboard shows it on the 'router' resource), or Synapse's",
            HelpName = "URL",
            Required = true,
        };
        var user = new Option<string>("--user")
        {
            Description = "The new user's localpart: 'alice' becomes @alice:<serverName>",
            HelpName = "NAME",
            Required = true,
        };
        var admin = new Option<bool>("--admin") { Description = "Make the user a server admin" };
        var passwordStdin = new Option<bool>("--password-stdin")
        {
            Description = "Read the password from the first line of standard input; without it a password is generated and printed once",
        };
        var secrets = new Option<string?>("--secrets")
        {
            Description = "A secrets file holding registration_shared_secret (as generate-secrets writes); without it the secrets a local `dotnet run` of the AppHost generated are read (~/.aspire/secrets/, as Aspire keeps them). MATRIX_SECRET_REGISTRATION_SHARED_SECRET overrides both",
            HelpName = "FILE",
        };
        var command = new Command("create-user", "Create a user (an admin with --admin) on a running stack through its router, with Synapse's registration shared secret.")
        {
            url, user, admin, passwordStdin, secrets,
        };
        url.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value
                && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                result.AddError($"--url '{value}' is not an http:// or https:// URL");
            }
        });
        user.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && SharedSecretRegistration.LocalpartProblem(value) is { } problem)
            {
                result.AddError($"--user {problem}");
            }
        });
        command.SetAction(async (parsed, ct) =>
        {
            var secret = RegistrationSecret.Find(parsed.GetValue(secrets), environment ?? Environment.GetEnvironmentVariable);
            var name = parsed.GetRequiredValue(user);
            var generated = !parsed.GetValue(passwordStdin);
            var password = generated ? SharedSecretRegistration.NewPassword() : ReadPassword(console);
            using var http = new HttpClient { BaseAddress = new Uri(parsed.GetRequiredValue(url)), Timeout = SharedSecretRegistration.Timeout };
            string userId;
            try
            {
                userId = await new SharedSecretRegistration(http, "--url").RegisterAsync(secret.Value, secret.Source, name, password, parsed.GetValue(admin), ct);
            }
            catch (RegistrationFailedException e)
            {
                console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Problems;
            }
            console.Out.WriteLine($"created {userId}{(parsed.GetValue(admin) ? " (server admin)" : "")}");
            if (generated)
            {
                console.Out.WriteLine($"password: {password}");
                console.Out.WriteLine("(shown once, stored nowhere: keep it, or change it after logging in)");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string ReadPassword(CliConsole console)
    {
        var line = console.In.ReadLine();
        return string.IsNullOrEmpty(line) ? throw new UsageException("--password-stdin: standard input holds no password (an empty first line)") : line;
    }
}
