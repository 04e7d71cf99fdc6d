using Matrix.Stack.Model;

namespace Matrix.Stack.Secrets;

/// <summary>The secret inputs of a deployment. They are given, never invented: rendering fails on any that is missing.</summary>
public static class SecretName
{
    public const string MacaroonSecretKey = "macaroon_secret_key";
    public const string RegistrationSharedSecret = "registration_shared_secret";
    public const string FormSecret = "form_secret";
    public const string WorkerReplicationSecret = "worker_replication_secret";
    public const string TurnSharedSecret = "turn_shared_secret";
    public const string LiveKitApiKey = "livekit_api_key";
    public const string LiveKitApiSecret = "livekit_api_secret";
    public const string PostgresPassword = "postgres_password";
    public const string S3AccessKeyId = "s3_access_key_id";
    public const string S3SecretAccessKey = "s3_secret_access_key";

    /// <summary>Synapse's ed25519 signing key, in Synapse's key file format (<c>ed25519 a_xyz BASE64SEED</c>). Every
    /// process signs with it, so it is shared, and it must never change: other servers cache it.</summary>
    public const string SigningKey = "signing_key";

    /// <summary>Password of Synapse's Redis.</summary>
    public const string RedisPassword = "redis_password";

    /// <summary>Password of LiveKit's own Redis.</summary>
    public const string LiveKitRedisPassword = "livekit_redis_password";

    /// <summary>Shared between Synapse and MAS: each authenticates its calls to the other with it.</summary>
    public const string MasSharedSecret = "mas_shared_secret";

    /// <summary>MAS's cookie and database encryption key: 32 bytes as 64 hex digits.</summary>
    public const string MasEncryptionKey = "mas_encryption_key";

    /// <summary>MAS's token signing keys (PEM): RSA for RS256 (every OIDC client supports it), EC P-256 for ES256.</summary>
    public const string MasSigningKeyRsa = "mas_signing_key_rsa";

    public const string MasSigningKeyEc = "mas_signing_key_ec";

    /// <summary>Secret of MAS's confidential admin client (client_credentials for MAS's admin API).</summary>
    public const string MasAdminClientSecret = "mas_admin_client_secret";

    /// <summary>Password of MAS's user on an external database (on the deployment's own server MAS uses <see cref="PostgresPassword"/>).</summary>
    public const string MasDatabasePassword = "mas_database_password";

    public static IReadOnlyList<string> All { get; } =
    [
        MacaroonSecretKey, RegistrationSharedSecret, FormSecret, WorkerReplicationSecret, TurnSharedSecret,
        LiveKitApiKey, LiveKitApiSecret, PostgresPassword, S3AccessKeyId, S3SecretAccessKey,
        SigningKey, RedisPassword, LiveKitRedisPassword,
        MasSharedSecret, MasEncryptionKey, MasSigningKeyRsa, MasSigningKeyEc, MasAdminClientSecret, MasDatabasePassword,
    ];

    /// <summary>The secrets this deployment needs, given which components are on.</summary>
    public static IReadOnlyList<string> RequiredFor(StackOptions options)
    {
        var required = new List<string> { MacaroonSecretKey, RegistrationSharedSecret, FormSecret, PostgresPassword, SigningKey, RedisPassword };
        if (options.Workers.Any(w => w.Key != Catalog.PoolType.Main && w.Value > 0))
        {
            // Replication between processes is authenticated only when a secret is set.
            required.Add(WorkerReplicationSecret);
        }
        if (options.Coturn.Enabled)
        {
            required.Add(TurnSharedSecret);
        }
        if (options.LiveKit.Enabled)
        {
            required.AddRange([LiveKitApiKey, LiveKitApiSecret, LiveKitRedisPassword]);
        }
        if (options.S3.Enabled)
        {
            required.AddRange([S3AccessKeyId, S3SecretAccessKey]);
        }
        if (options.Mas.Enabled)
        {
            required.AddRange(Mas.MasSecrets.Required(options.Mas));
        }
        return required;
    }
}
