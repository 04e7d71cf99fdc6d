namespace Matrix.Stack.Wiring;

/// <summary>
/// The value of one environment entry in the wiring model: what a host (the CLI's files, the AppHost, Kubernetes) turns
/// into its own form without re-deciding it.
/// </summary>
public abstract record WiringValue
{
    private protected WiringValue()
    {
    }
}

/// <summary>A fixed text.</summary>
public sealed record LiteralValue(string Text) : WiringValue;

/// <summary>
/// A secret's value (one of <see cref="Secrets.SecretName"/>), which only the host may hold (an Aspire secret
/// parameter, a Kubernetes <c>secretKeyRef</c>).
/// </summary>
public sealed record SecretValue(string Secret) : WiringValue;

/// <summary>The base URL (<c>http://host:port</c>) of another component's endpoint, as seen from where this component runs.</summary>
public sealed record EndpointUrlValue(string Component, string Endpoint) : WiringValue;

/// <summary>
/// The connection string of a database the deployment holds (<see cref="ComponentNames.SynapseDatabase"/>), as its host
/// states it: its server's address as seen from where this component runs, its user, and its password as a secret.
/// </summary>
public sealed record ConnectionStringValue(string Database) : WiringValue;
