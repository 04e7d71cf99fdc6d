using Microsoft.Extensions.Logging;

namespace Matrix.Router.Telemetry;

/// <summary>
/// Redacts every entry before any provider sees it: the formatted message, each structured value and the exception's
/// text. ASP.NET Core logs request URLs with their query, YARP the URL it forwards to, Kestrel the request lines it
/// refuses; all may carry an access token. Scopes reach the providers only when <paramref name="scopes"/> is set
/// (<see cref="RedactingLoggerFactory"/>).
/// </summary>
internal sealed class RedactingLogger(ILogger inner, bool scopes) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => scopes ? inner.BeginScope(state) : null;

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }
        var message = SecretRedactor.Redact(formatter(state, exception));
        var values = new List<KeyValuePair<string, object?>>();
        if (state is IEnumerable<KeyValuePair<string, object?>> structured)
        {
            foreach (var (key, value) in structured)
            {
                values.Add(new(key, Redact(value)));
            }
        }
        inner.Log(logLevel, eventId, new RedactedLogState(message, values), Redact(exception), RedactedLogState.Format);
    }

    private static Exception? Redact(Exception? exception)
    {
        if (exception is null)
        {
            return null;
        }
        var text = exception.ToString();
        var redacted = SecretRedactor.Redact(text);
        return string.Equals(text, redacted, StringComparison.Ordinal)
            ? exception
            : new RedactedException(exception.GetType().FullName ?? exception.GetType().Name, redacted);
    }

    // Numbers, booleans and the like are kept as they are; anything else is logged as redacted text.
    private static object? Redact(object? value) => value switch
    {
        null => null,
        string text => SecretRedactor.Redact(text),
        bool or byte or short or int or long or float or double or decimal or Enum or TimeSpan or DateTime or DateTimeOffset => value,
        _ => SecretRedactor.Redact(value.ToString() ?? ""),
    };
}
