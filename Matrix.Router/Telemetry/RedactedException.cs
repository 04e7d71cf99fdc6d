namespace Matrix.Router.Telemetry;

/// <summary>
/// Stands in, in a log entry, for an exception whose text held a credential (Kestrel puts a rejected request line,
/// query included, in its exception message): same type name and stack, credentials masked.
/// </summary>
internal sealed class RedactedException(string originalType, string redactedText)
    : Exception(redactedText.Split('\n')[0].TrimEnd())
{
    public string OriginalType { get; } = originalType;

    public override string ToString() => redactedText;
}
