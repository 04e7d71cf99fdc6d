using Matrix.Stack.Model;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.Mas;

/// <summary>
/// MAS's <c>config.yaml</c> as nested ordered mappings (keys from MAS's configuration schema). Every secret is a path
/// to a file of its own (<c>secret_file</c>, <c>encryption_file</c>, <c>key_file</c>, <c>password_file</c>,
/// <c>client_secret_file</c>): the file itself holds no secret value.
/// </summary>
public static class MasConfig
{
    public const string WebListener = "web";
    public const string HealthListener = "internal";

    public static Dictionary<string, object?> Build(MatrixDeployment deployment)
    {
        var options = deployment.Options;
        var mas = options.Mas;
        string Secret(string name) => MasPaths.Secret(options, name);

        return new()
        {
            ["http"] = new Dictionary<string, object?>
            {
                ["public_base"] = MasEndpoints.PublicBase(mas),
                ["listeners"] = new List<object?>
                {
                    Listener(WebListener, mas.HttpPort,
                        // health here too: the router checks every pool's instances on their one HTTP port.
                        ["discovery", "human", "oauth", "compat", "graphql", "assets", "health"]),
                    // Probes use a listener of their own, reachable even when the web listener is saturated.
                    Listener(HealthListener, mas.HealthPort, ["health"]),
                },
            },
            ["database"] = Database(options),
            ["matrix"] = new Dictionary<string, object?>
            {
                ["kind"] = "synapse",
                ["homeserver"] = options.ServerName,
                ["endpoint"] = MasEndpoints.Homeserver(options, deployment.Layout),
                ["secret_file"] = Secret(SecretName.MasSharedSecret),
            },
            ["secrets"] = new Dictionary<string, object?>
            {
                ["encryption_file"] = Secret(SecretName.MasEncryptionKey),
                ["keys"] = new List<object?>
                {
                    new Dictionary<string, object?> { ["kid"] = "rsa", ["key_file"] = Secret(SecretName.MasSigningKeyRsa) },
                    new Dictionary<string, object?> { ["kid"] = "ec", ["key_file"] = Secret(SecretName.MasSigningKeyEc) },
                },
            },
            ["clients"] = new List<object?>
            {
                new Dictionary<string, object?>
                {
                    ["client_id"] = MasClientIds.Admin(options.ServerName),
                    ["client_name"] = "Matrix stack administration",
                    ["client_auth_method"] = "client_secret_basic",
                    ["client_secret_file"] = Secret(SecretName.MasAdminClientSecret),
                },
            },
            ["policy"] = new Dictionary<string, object?>
            {
                // The admin client may use MAS's admin API (client_credentials with the urn:mas:admin scope).
                ["data"] = new Dictionary<string, object?> { ["admin_clients"] = new List<object?> { MasClientIds.Admin(options.ServerName) } },
            },
            ["passwords"] = new Dictionary<string, object?>
            {
                // MAS's own password login replaces Synapse's (which is off with MAS on).
                ["enabled"] = true,
                ["schemes"] = new List<object?> { new Dictionary<string, object?> { ["version"] = 1, ["algorithm"] = "argon2id" } },
            },
            ["account"] = new Dictionary<string, object?>
            {
                ["password_registration_enabled"] = mas.PasswordRegistration,
                // As Synapse's registration in this stack: never open to anyone, always behind a token.
                ["password_registration_token_required"] = true,
            },
        };
    }

    private static Dictionary<string, object?> Listener(string name, int port, string[] resources) => new()
    {
        ["name"] = name,
        ["resources"] = resources.Select(r => (object?)new Dictionary<string, object?> { ["name"] = r }).ToList(),
        ["binds"] = new List<object?> { new Dictionary<string, object?> { ["address"] = $"[::]:{port}" } },
    };

    private static Dictionary<string, object?> Database(StackOptions options) => new()
    {
        ["host"] = options.Mas.DatabaseHost ?? options.Database.Host,
        ["port"] = options.Mas.DatabasePort ?? options.Database.Port,
        ["username"] = options.Mas.DatabaseUser ?? options.Database.User,
        ["database"] = options.Mas.DatabaseName,
        ["password_file"] = MasPaths.Secret(options, MasSecrets.DatabasePassword(options.Mas)),
        // Stated, not left to MAS's default: the database is sized for it (Wiring.DatabaseCapacity).
        ["max_connections"] = Wiring.DatabaseCapacity.MasConnections,
    };
}
