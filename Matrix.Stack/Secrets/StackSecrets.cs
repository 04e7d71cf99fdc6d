namespace Matrix.Stack.Secrets;

/// <summary>
/// Secret values by <see cref="SecretName"/>. <see cref="ToString"/> never shows a value, so a secret cannot
/// reach a log or an exception message by accident.
/// </summary>
public sealed class StackSecrets
{
    private readonly Dictionary<string, string> _values;

    public StackSecrets(IReadOnlyDictionary<string, string> values)
    {
        var unknown = values.Keys.Where(k => !SecretName.All.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown secret name(s): {string.Join(", ", unknown)}; known: {string.Join(", ", SecretName.All)}");
        }
        _values = new Dictionary<string, string>(values, StringComparer.Ordinal);
    }

    public static StackSecrets Empty { get; } = new(new Dictionary<string, string>());

    /// <summary>Reads <c>MATRIX_SECRET_&lt;NAME&gt;</c> variables (upper case) over <paramref name="baseline"/>.</summary>
    public static StackSecrets FromEnvironment(StackSecrets? baseline = null, Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var values = new Dictionary<string, string>(baseline?._values ?? new(), StringComparer.Ordinal);
        foreach (var name in SecretName.All)
        {
            if (read(EnvironmentVariable(name)) is { } value)
            {
                values[name] = value;
            }
        }
        return new StackSecrets(values);
    }

    public static string EnvironmentVariable(string name) => "MATRIX_SECRET_" + name.ToUpperInvariant();

    public bool IsPresent(string name) => _values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value);

    /// <summary>The value; only renderers of files meant to hold secrets call this.</summary>
    public string Reveal(string name) =>
        IsPresent(name) ? _values[name] : throw new InvalidOperationException($"secret '{name}' is not set");

    public IEnumerable<string> Names => _values.Keys;

    public override string ToString() => $"StackSecrets({string.Join(", ", _values.Keys.Order())}: values hidden)";
}
