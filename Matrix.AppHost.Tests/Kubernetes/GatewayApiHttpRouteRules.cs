using System.Globalization;
using System.Text.RegularExpressions;

namespace Matrix.AppHost.Tests.Kubernetes;

/// <summary>
/// The rules of the Gateway API v1 (standard channel) <c>HTTPRoute</c> that a cluster applies to a route, written here
/// from the published v1 spec (the CRD's OpenAPI schema and its CEL validations) because no schema package for it is
/// installed here (kubernetes-models has none; the Gateway API's CRDs come as a Go module, and no Go is installed).
/// Field sets are closed as a structural schema with strict field validation makes them. Checks the object as written
/// (YAML read into maps), not as this project's model reads it.
/// </summary>
public static partial class GatewayApiHttpRouteRules
{
    public static IReadOnlyList<string> Check(string yaml)
    {
        var problems = new List<string>();
        var route = new YamlDotNet.Serialization.DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build()
            .Deserialize<Dictionary<object, object?>>(yaml);
        Fields(problems, "", route, "apiVersion", "kind", "metadata", "spec");
        Expect(problems, route.GetValueOrDefault("apiVersion") as string == "gateway.networking.k8s.io/v1", "apiVersion must be gateway.networking.k8s.io/v1");
        Expect(problems, route.GetValueOrDefault("kind") as string == "HTTPRoute", "kind must be HTTPRoute");
        var name = (route.GetValueOrDefault("metadata") as Dictionary<object, object?>)?.GetValueOrDefault("name") as string;
        Expect(problems, name is not null && name.Length <= 253 && Subdomain().IsMatch(name), "metadata.name must be a DNS subdomain");
        if (route.GetValueOrDefault("spec") is not Dictionary<object, object?> spec)
        {
            problems.Add("spec is required");
            return problems;
        }
        Fields(problems, "spec", spec, "parentRefs", "hostnames", "rules");

        var parents = List(problems, "spec.parentRefs", spec.GetValueOrDefault("parentRefs"), 32);
        Expect(problems, parents.Count > 0, "spec.parentRefs: a route attached to no Gateway serves nothing");
        foreach (var (parent, index) in parents.Select((p, i) => (p as Dictionary<object, object?> ?? [], i)))
        {
            var at = $"spec.parentRefs[{index}]";
            Fields(problems, at, parent, "group", "kind", "namespace", "name", "sectionName", "port");
            Expect(problems, parent.GetValueOrDefault("name") is string n && n.Length is >= 1 and <= 253, $"{at}.name is required (1-253 characters)");
            Expect(problems, OptionalMatch(parent.GetValueOrDefault("namespace"), 63, Label()), $"{at}.namespace must be a DNS label");
            Expect(problems, OptionalMatch(parent.GetValueOrDefault("sectionName"), 253, Subdomain()), $"{at}.sectionName must match the section name pattern");
            Expect(problems, OptionalNumber(parent.GetValueOrDefault("port"), 1, 65535), $"{at}.port must be 1-65535");
        }

        var hostnames = List(problems, "spec.hostnames", spec.GetValueOrDefault("hostnames"), 16);
        foreach (var host in hostnames)
        {
            Expect(problems, host is string h && h.Length is >= 1 and <= 253 && Hostname().IsMatch(h), $"spec.hostnames: '{host}' is not a lower-case DNS name (optionally *.)");
        }

        var rules = List(problems, "spec.rules", spec.GetValueOrDefault("rules"), 16);
        foreach (var (rule, r) in rules.Select((x, i) => (x as Dictionary<object, object?> ?? [], i)))
        {
            Fields(problems, $"spec.rules[{r}]", rule, "name", "matches", "filters", "backendRefs", "timeouts", "sessionPersistence");
            foreach (var (match, m) in List(problems, $"spec.rules[{r}].matches", rule.GetValueOrDefault("matches"), 64).Select((x, i) => (x as Dictionary<object, object?> ?? [], i)))
            {
                var at = $"spec.rules[{r}].matches[{m}]";
                Fields(problems, at, match, "path", "headers", "queryParams", "method");
                if (match.GetValueOrDefault("path") is Dictionary<object, object?> path)
                {
                    Fields(problems, $"{at}.path", path, "type", "value");
                    var type = path.GetValueOrDefault("type") as string ?? "PathPrefix";
                    Expect(problems, type is "Exact" or "PathPrefix" or "RegularExpression", $"{at}.path.type '{type}' is not Exact, PathPrefix or RegularExpression");
                    var value = path.GetValueOrDefault("value") as string ?? "/";
                    Expect(problems, value.Length <= 1024, $"{at}.path.value is longer than 1024");
                    if (type is "Exact" or "PathPrefix")
                    {
                        // The CEL rules of HTTPPathMatch.
                        Expect(problems, value.StartsWith('/'), $"{at}.path.value must be an absolute path");
                        Expect(problems, !value.Contains("//", StringComparison.Ordinal), $"{at}.path.value must not contain '//'");
                        Expect(problems, !value.Contains("/./", StringComparison.Ordinal) && !value.Contains("/../", StringComparison.Ordinal), $"{at}.path.value must not contain '/./' or '/../'");
                        Expect(problems, !value.EndsWith("/..", StringComparison.Ordinal) && !value.EndsWith("/.", StringComparison.Ordinal), $"{at}.path.value must not end with '/..' or '/.'");
                        Expect(problems, !value.Contains("%2f", StringComparison.OrdinalIgnoreCase) && !value.Contains('#'), $"{at}.path.value must not contain '%2f', '%2F' or '#'");
                    }
                }
            }
            foreach (var (backend, b) in List(problems, $"spec.rules[{r}].backendRefs", rule.GetValueOrDefault("backendRefs"), 16).Select((x, i) => (x as Dictionary<object, object?> ?? [], i)))
            {
                var at = $"spec.rules[{r}].backendRefs[{b}]";
                Fields(problems, at, backend, "group", "kind", "name", "namespace", "port", "weight", "filters");
                Expect(problems, backend.GetValueOrDefault("name") is string n && n.Length is >= 1 and <= 253, $"{at}.name is required (1-253 characters)");
                var service = backend.GetValueOrDefault("group") is null or "" && backend.GetValueOrDefault("kind") is null or "Service";
                Expect(problems, !service || backend.ContainsKey("port"), $"{at}: must have port for Service reference");
                Expect(problems, OptionalNumber(backend.GetValueOrDefault("port"), 1, 65535), $"{at}.port must be a number 1-65535");
                Expect(problems, OptionalNumber(backend.GetValueOrDefault("weight"), 0, 1000000), $"{at}.weight must be 0-1000000");
            }
        }
        return problems;
    }

    private static bool OptionalMatch(object? value, int maxLength, Regex pattern) =>
        value is null || (value is string text && text.Length is >= 1 && text.Length <= maxLength && pattern.IsMatch(text));

    private static bool OptionalNumber(object? value, long min, long max) =>
        value is null || (value is IConvertible convertible && convertible.GetTypeCode() is >= TypeCode.SByte and <= TypeCode.UInt64
                          && Convert.ToInt64(value, CultureInfo.InvariantCulture) is var number && number >= min && number <= max);

    private static List<object?> List(List<string> problems, string at, object? value, int maxItems)
    {
        if (value is null)
        {
            return [];
        }
        if (value is not List<object?> list)
        {
            problems.Add($"{at} must be a list");
            return [];
        }
        Expect(problems, list.Count <= maxItems, string.Create(CultureInfo.InvariantCulture, $"{at} has more than {maxItems} items"));
        return list;
    }

    private static void Fields(List<string> problems, string at, Dictionary<object, object?> map, params string[] allowed)
    {
        foreach (var key in map.Keys.Select(k => k.ToString()!).Where(k => !allowed.Contains(k)))
        {
            problems.Add($"{(at.Length == 0 ? "" : at + ".")}{key} is not a field of the v1 HTTPRoute");
        }
    }

    private static void Expect(List<string> problems, bool condition, string problem)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Hostname();
}
