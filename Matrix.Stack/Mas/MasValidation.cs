using Matrix.Stack.Catalog;
using Matrix.Stack.Model;

namespace Matrix.Stack.Mas;

/// <summary>The MAS part of <see cref="Validation.StackValidator"/>: every problem names the setting to change.</summary>
public static class MasValidation
{
    public static void Check(StackOptions options, Action<string, string> problem)
    {
        var mas = options.Mas;
        if (options.Count(PoolType.Mas) != 0)
        {
            problem("workers.mas", "MAS is not a Synapse pool: turn it on with mas.enabled=true");
        }
        if (!mas.Enabled)
        {
            if (options.Count(PoolType.MasHelper) > 0)
            {
                problem("workers.mas-helper", "mas-helper workers serve MAS's calls to Synapse: they need mas.enabled=true");
            }
            return;
        }

        CheckPublicBase(options, problem);
        Validation.StackValidator.CheckUrl(mas.HomeserverEndpoint, "mas.homeserverEndpoint", problem);
        if (mas.HttpPort == mas.HealthPort)
        {
            problem("mas.healthPort", $"port {mas.HealthPort} is already mas.httpPort: the health listener needs its own port");
        }
        if (options.Synapse.PasswordLogin == true)
        {
            problem("synapse.passwordLogin", "must be off when mas.enabled is true: MAS does every login, Synapse's own password login would bypass it");
        }
        if (options.Synapse.EnableRegistration)
        {
            problem("synapse.enableRegistration", "must be off when mas.enabled is true: accounts are registered in MAS (mas.passwordRegistration)");
        }
    }

    private static void CheckPublicBase(StackOptions options, Action<string, string> problem)
    {
        const string Setting = "mas.publicBaseUrl";
        if (options.Mas.PublicBaseUrl is not { } url)
        {
            problem(Setting, "is required when mas.enabled is true: where browsers and clients reach MAS (e.g. https://auth.example.org/)");
            return;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            problem(Setting, $"'{url}' is not an absolute http/https URL");
            return;
        }
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            problem(Setting, $"'{url}' must be a base URL (no query, fragment or user)");
            return;
        }
        if (uri.Scheme == "http" && !MasEndpoints.IsLocal(uri))
        {
            problem(Setting, $"'{url}' is plain http: MAS hands out tokens, so its public base must be https outside local runs (localhost, *.localhost or a loopback address)");
        }
        if (MasEndpoints.SharedHostPathPrefix(options) == "/")
        {
            problem(Setting, $"'{url}' is the homeserver's own public base: give MAS a host of its own (https://auth.example.org/) or a path under the homeserver's host (https://matrix.example.org/auth/)");
        }
    }
}
