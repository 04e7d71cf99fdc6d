using System.Text;
using Matrix.Stack.Catalog;

namespace Matrix.Bench.RouteTableExport;

/// <summary>
/// <c>RouteTableExport HAPROXY_MAP NGINX_LOCATIONS</c>: the catalog's routes for the layout where every pool exists,
/// as regular expressions (templates: <c>{a|b}</c> alternation, <c>*</c> one segment, <c>**</c> the rest). Routes with
/// query conditions (initial syncs) are left to the proxies' own rules, as Element's chart and Synapse's docs do.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: RouteTableExport HAPROXY_MAP_FILE NGINX_LOCATIONS_FILE");
            return 2;
        }
        var routes = WorkerCatalog.All
            .Where(pool => pool.ServesRequests && pool.Type != PoolType.Main)
            .SelectMany(pool => pool.Routes
                .Where(rule => rule.Condition == RouteCondition.None)
                .Select(rule => (Pool: pool.Name, Regex: ToRegex(rule.Template))))
            .DistinctBy(route => route.Regex)
            .ToList();

        var map = new StringBuilder("# path regex -> pool, generated from Matrix.Stack's WorkerCatalog (first match wins)\n");
        var nginx = new StringBuilder("# regex locations generated from Matrix.Stack's WorkerCatalog (first match wins)\n");
        foreach (var (pool, regex) in routes)
        {
            map.Append(regex).Append(' ').Append(pool).Append('\n');
            nginx.Append("location ~ ").Append(regex).Append(" { proxy_pass http://").Append(Upstream(pool)).Append("; }\n");
        }
        File.WriteAllText(args[0], map.ToString());
        File.WriteAllText(args[1], nginx.ToString());
        Console.WriteLine($"{routes.Count} routes");
        return 0;
    }

    public static string Upstream(string pool) => "synapse_" + pool.Replace('-', '_');

    private static string ToRegex(string template)
    {
        var regex = new StringBuilder("^");
        // Alternations may span segments ({api/v1|r0}), so translate character by character.
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            switch (c)
            {
                case '{':
                    regex.Append('(');
                    break;
                case '}':
                    regex.Append(')');
                    break;
                case '*' when i + 1 < template.Length && template[i + 1] == '*':
                    regex.Append(".*");
                    i++;
                    break;
                case '*':
                    regex.Append("[^/]+");
                    break;
                case '.' or '$' or '+' or '?' or '(' or ')' or '[' or ']' or '^' or '\\':
                    regex.Append('\\').Append(c);
                    break;
                default:
                    regex.Append(c);
                    break;
            }
        }
        return regex.Append('$').ToString();
    }
}
