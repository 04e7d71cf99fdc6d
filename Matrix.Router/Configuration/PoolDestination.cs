using Matrix.Stack.Catalog;

namespace Matrix.Router.Configuration;

/// <summary>One configured base URL of a pool, and the setting it came from (for error messages and the status page).</summary>
public sealed record PoolDestination(PoolType Pool, Uri BaseUrl, string Setting);
