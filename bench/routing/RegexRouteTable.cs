using System.Text.RegularExpressions;
using Matrix.Stack.Catalog;

namespace Matrix.Bench.Routing;

/// <summary>
/// The baseline the matcher replaces: every catalog route as a compiled regular expression, scanned in order
/// (what an nginx or HAProxy regex map does). Only for comparison in the benchmark.
/// </summary>
public sealed class RegexRouteTable
{
    private readonly (Regex Pattern, bool GetOnly, PoolType Pool)[] _routes;

    public RegexRouteTable()
    {
        _routes = WorkerCatalog.All
            .SelectMany(pool => pool.Routes.Select(rule => (ToRegex(rule.Template), rule.GetOnly, pool.Type)))
            .ToArray();
    }

    public int Count => _routes.Length;

    public PoolType Match(string method, string path)
    {
        foreach (var (pattern, getOnly, pool) in _routes)
        {
            if ((!getOnly || method == "GET") && pattern.IsMatch(path))
            {
                return pool;
            }
        }
        return PoolType.Main;
    }

    private static Regex ToRegex(string template)
    {
        var pattern = "^" + Regex.Escape(template)
            .Replace("\\{", "(").Replace("}", ")").Replace("\\|", "|").Replace("\\*\\*", ".+").Replace("\\*", "[^/]+") + "$";
        return new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
    }
}
