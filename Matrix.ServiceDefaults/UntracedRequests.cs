namespace Matrix.ServiceDefaults;

/// <summary>
/// Outgoing requests a service makes on its own schedule, such as the router's active health probes (one per instance
/// every few seconds), which would fill the dashboard's traces view and hide the requests worth reading. A marked
/// request makes no span; the HttpClient metrics still count it, so probe latency and failures stay visible.
/// </summary>
public static class UntracedRequests
{
    private static readonly HttpRequestOptionsKey<bool> Key = new("Matrix.ServiceDefaults.Untraced");

    public static void Mark(HttpRequestMessage request) => request.Options.Set(Key, true);

    public static bool IsMarked(HttpRequestMessage request) => request.Options.TryGetValue(Key, out var marked) && marked;
}
