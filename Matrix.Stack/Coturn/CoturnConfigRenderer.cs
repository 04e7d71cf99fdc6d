using System.Text;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.Coturn;

/// <summary>
/// coturn's <c>turnserver.conf</c>: Synapse's shared-secret (time-limited) authentication, the relay port range, and a
/// relay that can reach only public unicast addresses. coturn reads its shared secret only from this file, so there
/// are two renderings: <see cref="Render"/> (the CLI, one host) gives the complete file, a
/// <see cref="RenderedFileKind.Secret"/>; <see cref="RenderConfiguration"/> (containers) gives the same file without its
/// last line, <c>static-auth-secret=</c>, which <see cref="CoturnContainerCommand"/> appends in the container from the
/// secret's own file.
/// </summary>
public sealed class CoturnConfigRenderer : IComponentRenderer
{
    public const string ConfigPath = "coturn/turnserver.conf";

    /// <summary>Where the <c>coturn/</c> folder is delivered in coturn's container.</summary>
    public const string ContainerConfigDirectory = "/etc/coturn";

    /// <summary>The option that carries the shared secret: the complete file's last line.</summary>
    public const string SharedSecretOption = "static-auth-secret";

    /// <summary>Concurrent allocations per user: a video call relays up to 4 streams, so 12 is three relayed calls at once.</summary>
    public const int UserQuota = 12;

    /// <summary>Concurrent allocations on the whole relay, so one deployment cannot be turned into a bandwidth reflector.</summary>
    public const int TotalQuota = 1200;

    /// <summary>Seconds a NONCE stays valid; clients re-authenticate after a 438 Stale Nonce.</summary>
    public const int StaleNonceSeconds = 600;

    public IEnumerable<RenderedFile> Render(MatrixDeployment deployment, StackSecrets secrets)
    {
        var options = deployment.Options;
        if (!options.Coturn.Enabled)
        {
            return [];
        }
        var secret = secrets.Reveal(SecretName.TurnSharedSecret);
        if (ProblemWithSharedSecret(secret) is { } problem)
        {
            // Name the secret, never its value.
            throw new InvalidOperationException($"secret '{SecretName.TurnSharedSecret}' cannot be written to {ConfigPath}: {problem}");
        }
        return [new RenderedFile(ConfigPath, Configuration(options) + SharedSecretLine(secret), RenderedFileKind.Secret)];
    }

    /// <summary>The file without the shared secret: a <see cref="RenderedFileKind.Config"/> file for containers.</summary>
    public IEnumerable<RenderedFile> RenderConfiguration(MatrixDeployment deployment) =>
        deployment.Options.Coturn.Enabled ? [new RenderedFile(ConfigPath, Configuration(deployment.Options))] : [];

    /// <summary>The line the complete file ends with (and <see cref="CoturnContainerCommand"/> appends).</summary>
    public static string SharedSecretLine(string secret) => $"{SharedSecretOption}={secret}\n";

    /// <summary>Null when coturn can listen on the configured address, else why not (naming the setting).</summary>
    public static string? ProblemWithListenAddress(StackOptions options)
    {
        var address = options.Coturn.ListenAddress;
        return !ListensEverywhere(address) && !System.Net.IPAddress.TryParse(address, out _)
            ? $"coturn.listenAddress: '{address}' is not an IP address (coturn listens on addresses, not names)"
            : null;
    }

    /// <summary>Null when the realm can stand on one config line, else why not (naming the setting).</summary>
    public static string? ProblemWithRealm(StackOptions options)
    {
        // One value per line: a blank or line break inside a setting would end it early or start another option.
        var realm = CoturnEndpoints.Realm(options);
        return realm.Length == 0 || realm.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? $"coturn.realm: '{realm}' must be one word without blanks or line breaks"
            : null;
    }

    /// <summary>
    /// Null when the shared secret can stand as a <c>static-auth-secret=</c> line, else why not. coturn's config reader
    /// trims blanks, strips quotes and ends a value at the line break, so such characters would change the secret
    /// (and a line break would let the value add options of its own).
    /// </summary>
    public static string? ProblemWithSharedSecret(string secret) => secret switch
    {
        "" => "it is empty",
        { Length: > 256 } => "it is longer than 256 characters",
        _ when secret.Any(c => c is < '!' or > '~' or '"') =>
            "it may hold only printable ASCII without blanks or '\"' (for example hex or base64 from `openssl rand`)",
        _ => null,
    };

    private static string Configuration(StackOptions options)
    {
        // Validation reports these before rendering; the renderer still refuses them as a last line of defence.
        if ((ProblemWithListenAddress(options) ?? ProblemWithRealm(options)) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        var coturn = options.Coturn;
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line($"# coturn for {options.ServerName}, generated by Matrix.Stack: re-render instead of editing.");
        Line($"# The TURN shared secret is the last line ({SharedSecretOption}=), added where the secret is known:");
        Line("# a file that has it must be readable by coturn only.");
        Line();
        Line("# Listeners: plain UDP and TCP. TLS and DTLS stay off because no certificate is configured.");
        if (!ListensEverywhere(coturn.ListenAddress))
        {
            // With no listening-ip, coturn binds every interface and relays from the one a client came in on.
            Line($"listening-ip={coturn.ListenAddress}");
        }
        Line($"listening-port={coturn.Port}");
        Line("no-tls");
        Line("no-dtls");
        Line();
        Line("# Relay endpoints are taken from this UDP port range (open it in the firewall).");
        Line($"min-port={coturn.RelayPortMin}");
        Line($"max-port={coturn.RelayPortMax}");
        Line();
        Line("# Authentication: the time-limited credentials Synapse derives from the shared secret (TURN REST API).");
        Line("use-auth-secret");
        Line($"realm={CoturnEndpoints.Realm(options)}");
        Line("fingerprint");
        Line($"stale-nonce={StaleNonceSeconds}");
        Line();
        Line("# What the relay may reach: calls are UDP, and only public unicast peers.");
        Line("no-tcp-relay");
        Line("no-multicast-peers");
        foreach (var network in DeniedPeerNetworks.All)
        {
            Line($"denied-peer-ip={DeniedPeerNetworks.CoturnRange(network)}");
        }
        Line();
        Line("# Abuse limits: allocation quotas, and small STUN answers so the server is a poor amplifier.");
        Line($"user-quota={UserQuota}");
        Line($"total-quota={TotalQuota}");
        Line("no-rfc5780");
        Line("no-stun-backward-compatibility");
        Line("response-origin-only-with-rfc5780");
        Line("no-software-attribute");
        Line();
        Line("# Operation: no telnet CLI, logs to standard output for the container runtime.");
        Line("no-cli");
        Line("log-file=stdout");
        return text.ToString();
    }

    private static bool ListensEverywhere(string address) => address is "0.0.0.0" or "::" or "*" or "";
}
