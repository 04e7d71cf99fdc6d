using Matrix.Stack.Model;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.Synapse;

/// <summary>
/// Which secrets the Synapse processes need and how they receive each: as a file behind a <c>*_path</c> option,
/// as libpq's password file, or (S3 credentials, read by boto3) as an environment variable.
/// </summary>
public static class SynapseSecrets
{
    public const string AwsAccessKeyIdVariable = "AWS_ACCESS_KEY_ID";
    public const string AwsSecretAccessKeyVariable = "AWS_SECRET_ACCESS_KEY";

    /// <summary>The mapping of homeserver.yaml that holds Redis' settings, its password path included.</summary>
    public const string RedisSection = "redis";

    /// <summary>
    /// The secrets homeserver.yaml points at with <c>*_path</c> options, in the order they appear there. Every process
    /// gets all of them: the signing key above all must be the same file for main and every worker.
    /// </summary>
    public static IReadOnlyList<SynapseSecretFile> Files(MatrixDeployment deployment)
    {
        var files = new List<SynapseSecretFile>();
        if (UsesRedis(deployment))
        {
            files.Add(new(SecretName.RedisPassword, "password_path", RedisSection));
        }
        files.Add(new(SecretName.MacaroonSecretKey, "macaroon_secret_key_path"));
        files.Add(new(SecretName.RegistrationSharedSecret, "registration_shared_secret_path"));
        files.Add(new(SecretName.FormSecret, "form_secret_path"));
        if (deployment.Layout.Workers.Any())
        {
            files.Add(new(SecretName.WorkerReplicationSecret, "worker_replication_secret_path"));
        }
        if (deployment.Options.Coturn.Enabled)
        {
            files.Add(new(SecretName.TurnSharedSecret, "turn_shared_secret_path"));
        }
        if (deployment.Options.Mas.Enabled)
        {
            files.Add(new(SecretName.MasSharedSecret, "secret_path", Mas.MasSynapseConfig.SectionName));
        }
        // The deployment's one ed25519 key: an input like every other secret, never generated in a container.
        files.Add(new(SecretName.SigningKey, "signing_key_path"));
        return files;
    }

    /// <summary>Replication between processes goes through Redis pub/sub: only a deployment with workers uses it.</summary>
    public static bool UsesRedis(MatrixDeployment deployment) => deployment.Layout.Workers.Any();

    /// <summary>Environment variables of every Synapse process that carry a secret, by variable: the secret's name.</summary>
    public static IReadOnlyDictionary<string, string> Environment(StackOptions options) =>
        options.S3 is { Enabled: true, SynapseStorageProvider: true }
            ? new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [AwsAccessKeyIdVariable] = SecretName.S3AccessKeyId,
                [AwsSecretAccessKeyVariable] = SecretName.S3SecretAccessKey,
            }
            : new SortedDictionary<string, string>(StringComparer.Ordinal);
}
