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

    public static IReadOnlyList<string> All { get; } =
    [
        MacaroonSecretKey, RegistrationSharedSecret, FormSecret, WorkerReplicationSecret, TurnSharedSecret,
        LiveKitApiKey, LiveKitApiSecret, PostgresPassword, S3AccessKeyId, S3SecretAccessKey,
    ];

    /// <summary>The secrets this deployment needs, given which components are on.</summary>
    public static IReadOnlyList<string> RequiredFor(StackOptions options)
    {
        var required = new List<string> { MacaroonSecretKey, RegistrationSharedSecret, FormSecret, PostgresPassword };
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
            required.AddRange([LiveKitApiKey, LiveKitApiSecret]);
        }
        if (options.S3.Enabled)
        {
            required.AddRange([S3AccessKeyId, S3SecretAccessKey]);
        }
        return required;
    }
}
