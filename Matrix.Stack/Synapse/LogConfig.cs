using Matrix.Stack.Model;
using Matrix.Stack.Yaml;

namespace Matrix.Stack.Synapse;

/// <summary>
/// The Python logging configuration (<c>logging.config.dictConfig</c>) every process uses through <c>log_config</c>
/// and <c>worker_log_config</c>: one console handler, because the container runtime collects standard error.
/// </summary>
public static class LogConfig
{
    // Synapse sets `request` on every record (its log record factory), so it can be in the format.
    public const string Format = "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s";

    public static YamlMapping Build(SynapseOptions options) => new()
    {
        { "version", 1 },
        { "formatters", new YamlMapping { { "precise", new YamlMapping { { "format", Format } } } } },
        {
            "handlers", new YamlMapping
            {
                {
                    "console", new YamlMapping
                    {
                        { "class", "logging.StreamHandler" },
                        { "formatter", "precise" },
                        { "stream", "ext://sys.stderr" },
                    }
                },
            }
        },
        {
            "loggers", new YamlMapping
            {
                // At DEBUG this logger prints every SQL statement with its values (tokens included): never below INFO.
                { "synapse.storage.SQL", new YamlMapping { { "level", "INFO" } } },
            }
        },
        {
            "root", new YamlMapping
            {
                { "level", options.LogLevel },
                { "handlers", new List<object?> { "console" } },
            }
        },
        { "disable_existing_loggers", false },
    };
}
