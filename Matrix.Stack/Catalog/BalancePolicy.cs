namespace Matrix.Stack.Catalog;

/// <summary>How requests are spread across the instances of one pool.</summary>
public enum BalancePolicy
{
    /// <summary>Consistent hash of the access token: one user's syncs stay on one synchrotron (its caches).</summary>
    AccessToken,

    /// <summary>
    /// Consistent hash of the user behind the access token, resolved once per token (Synapse's <c>whoami</c>) and
    /// cached by the router; the token itself until then. For opaque tokens that name no user (MAS): every device of a
    /// user lands on one instance. Never a catalog default: an operator chooses it per pool in the router's settings.
    /// </summary>
    AccessTokenUser,

    /// <summary>Consistent hash of the room ID in the path: event creation and pagination of a room stay together.</summary>
    RoomId,

    /// <summary>Consistent hash of the <c>origin</c> of an <c>X-Matrix</c> authorization (client address when absent).</summary>
    FederationOrigin,

    /// <summary>Consistent hash of the whole request URI.</summary>
    Uri,

    /// <summary>The instance with the fewest requests in flight.</summary>
    LeastBusy,

    /// <summary>Each instance in turn.</summary>
    RoundRobin,
}

public static class BalancePolicyNames
{
    public static string Name(this BalancePolicy policy) => policy switch
    {
        BalancePolicy.AccessToken => "access-token",
        BalancePolicy.AccessTokenUser => "access-token-user",
        BalancePolicy.RoomId => "room-id",
        BalancePolicy.FederationOrigin => "federation-origin",
        BalancePolicy.Uri => "uri",
        BalancePolicy.LeastBusy => "least-busy",
        BalancePolicy.RoundRobin => "round-robin",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    /// <summary>The policy named <paramref name="name"/> (as <see cref="Name"/> spells it); false when there is none.</summary>
    public static bool TryParse(string name, out BalancePolicy policy)
    {
        foreach (var candidate in Enum.GetValues<BalancePolicy>())
        {
            if (candidate.Name().Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                policy = candidate;
                return true;
            }
        }
        policy = default;
        return false;
    }

    /// <summary>Policies that pin a key to an instance: they need consistent hashing.</summary>
    public static bool IsSticky(this BalancePolicy policy) =>
        policy is BalancePolicy.AccessToken or BalancePolicy.AccessTokenUser or BalancePolicy.RoomId or BalancePolicy.FederationOrigin or BalancePolicy.Uri;
}
