using Matrix.Stack.Model;
using Matrix.Stack.Secrets;
using Matrix.Stack.Yaml;

namespace Matrix.Stack.Mas;

/// <summary>
/// Synapse's side of the MAS integration: the stable <c>matrix_authentication_service</c> section (Synapse 1.157 and
/// later support only this one; <c>experimental_features.msc3861</c> is never written) and password login off.
/// </summary>
public static class MasSynapseConfig
{
    public const string SectionName = "matrix_authentication_service";
    public const string PasswordConfigName = "password_config";

    public static YamlMapping Section(StackOptions options) => new()
    {
        { "enabled", true },
        { "endpoint", MasEndpoints.Internal(options.Mas) },
        { "secret_path", MasPaths.Secret(options, SecretName.MasSharedSecret) },
    };

    /// <summary>Synapse's <c>password_config</c>: null (Synapse's default, on) unless MAS is on or the operator turned it off.</summary>
    public static YamlMapping? PasswordConfig(StackOptions options) =>
        options.Mas.Enabled || options.Synapse.PasswordLogin == false ? new() { { "enabled", false } } : null;
}
