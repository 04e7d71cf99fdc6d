using Matrix.Stack.Model;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.Mas;

/// <summary>The secrets MAS needs, each delivered as a file of its own that MAS's config points at (<c>*_file</c> options).</summary>
public static class MasSecrets
{
    public static IReadOnlyList<string> Required(MasOptions mas)
    {
        var required = new List<string>
        {
            SecretName.MasSharedSecret, SecretName.MasEncryptionKey, SecretName.MasSigningKeyRsa,
            SecretName.MasSigningKeyEc, SecretName.MasAdminClientSecret,
        };
        if (mas.HasExternalDatabase)
        {
            required.Add(SecretName.MasDatabasePassword);
        }
        return required;
    }

    /// <summary>The secret whose value is MAS's database password.</summary>
    public static string DatabasePassword(MasOptions mas) =>
        mas.HasExternalDatabase ? SecretName.MasDatabasePassword : SecretName.PostgresPassword;

    /// <summary>Every secret file MAS's container reads: <see cref="Required"/>, plus the deployment's PostgreSQL password when it shares the server.</summary>
    public static IReadOnlyList<string> Files(MasOptions mas) =>
        [.. Required(mas), .. mas.HasExternalDatabase ? Array.Empty<string>() : [SecretName.PostgresPassword]];
}
