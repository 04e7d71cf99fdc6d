namespace Matrix.AppHost.Files;

/// <summary>One secret, delivered as a file holding only its value (Synapse reads these through <c>*_path</c> options).</summary>
/// <param name="FileName">The file name under the secrets directory, e.g. <c>macaroon_secret_key</c>.</param>
/// <param name="EnvironmentVariable">The variable carrying it to the container, e.g. <c>MATRIX_SECRET_MACAROON_SECRET_KEY</c>.</param>
public sealed record SecretFile(string FileName, string EnvironmentVariable, IResourceBuilder<ParameterResource> Parameter);
