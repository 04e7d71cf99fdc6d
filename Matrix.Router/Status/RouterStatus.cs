using System.Text.Json;
using Matrix.Router.Configuration;
using Matrix.Router.Routing;
using Matrix.Router.Security;
using Matrix.Stack.Catalog;
using Microsoft.AspNetCore.Http;

namespace Matrix.Router.Status;

/// <summary>
/// <c>GET /_router/status</c> (admin allow-list only): the client connections accepted at once and held now, every pool with the
/// balance policy in force (its <c>Router:Balance:&lt;pool&gt;</c> setting, else the catalog's) and fallbacks, and every
/// instance with its health, requests in flight, totals and requests per second.
/// </summary>
public sealed class RouterStatus(RoutingTable table, RouterOptions options, ConnectionCapacity capacity, ClientConnectionLimit connections)
{
    public async Task WriteAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("maxClientConnections", capacity.Effective);
        json.WriteNumber("clientConnections", connections.Open);
        json.WriteNumber("inFlight", table.AllInstances.Sum(i => i.InFlight));
        json.WriteNumber("requestsPerSecond", Math.Round(table.AllInstances.Sum(i => i.Rate.PerSecond), 2));
        json.WriteStartArray("pools");
        foreach (var pool in table.Pools)
        {
            var definition = WorkerCatalog.Get(pool.Type);
            json.WriteStartObject();
            json.WriteString("pool", pool.Name);
            json.WriteString("balance", options.Balance.GetValueOrDefault(pool.Type, definition.Balance).Name());
            json.WriteStartArray("fallbacks");
            foreach (var fallback in definition.Fallback.Where(f => table[f] is not null))
            {
                json.WriteStringValue(fallback.Name());
            }
            json.WriteEndArray();
            if (pool.ConcurrencyCapPerInstance is { } cap)
            {
                json.WriteNumber("concurrencyCapPerInstance", cap);
            }
            var instances = pool.Instances;
            json.WriteNumber("healthyInstances", instances.Count(i => i.IsHealthy));
            json.WriteStartArray("instances");
            foreach (var instance in instances)
            {
                json.WriteStartObject();
                json.WriteString("instance", instance.DestinationPrefix);
                json.WriteString("configuredAs", instance.Source.BaseUrl.GetLeftPart(UriPartial.Authority));
                json.WriteString("setting", instance.Source.Setting);
                json.WriteBoolean("healthy", instance.IsHealthy);
                json.WriteNumber("inFlight", instance.InFlight);
                json.WriteNumber("requests", instance.Requests);
                json.WriteNumber("failures", instance.Failures);
                json.WriteNumber("requestsPerSecond", instance.Rate.PerSecond);
                if (instance.Health.LastProblem is { } problem)
                {
                    json.WriteString("lastProblem", problem);
                }
                if (instance.Health.LastChange is { } changed)
                {
                    json.WriteString("lastChange", changed);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
