using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Matrix.MediaJanitor.Hosting;

/// <summary>One readable line per event ("12:00:01 WARN  message"), without category names or stack traces.</summary>
public sealed class JanitorConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "janitor";

    public override void Write<TState>(in LogEntry<TState> logEntry, Microsoft.Extensions.Logging.IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "TRACE",
            LogLevel.Debug => "DEBUG",
            LogLevel.Information => "INFO ",
            LogLevel.Warning => "WARN ",
            LogLevel.Error => "ERROR",
            _ => "CRIT ",
        };
        textWriter.WriteLine($"{DateTime.Now:HH:mm:ss} {level} {message}");
        if (logEntry.Exception is { } ex && !message.Contains(ex.Message, StringComparison.Ordinal))
        {
            textWriter.WriteLine("         " + ex.Message);
        }
    }
}
