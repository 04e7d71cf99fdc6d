namespace Matrix.Stack.LaunchScripts;

/// <summary>
/// What a launch script accepts as a secret value read from a file, checked in the container before the value is
/// used: a value that would break the file it goes into (a line break adding options, a quote ending a string) stops
/// the container with a message that names the secret, never its value.
/// </summary>
/// <param name="ForbiddenPattern">A POSIX <c>case</c> pattern matching every value to refuse (the script sets <c>LC_ALL=C</c>, so ranges are bytes).</param>
/// <param name="Description">What a valid value is, for the error message.</param>
/// <param name="MaxLength">The longest value accepted, or null.</param>
public sealed record SecretValueRule(string ForbiddenPattern, string Description, int? MaxLength = null)
{
    /// <summary>Printable ASCII without blanks: one word on one line, whatever file it is written to.</summary>
    public static SecretValueRule PrintableWord { get; } =
        new("*[!!-~]*", "it may hold only printable ASCII without blanks or line breaks");

    /// <summary>
    /// A value coturn reads from a <c>key=value</c> line unchanged: printable ASCII without blanks or <c>"</c>
    /// (coturn trims blanks, strips quotes and ends the value at the line break), at most 256 characters.
    /// The same rule as <see cref="Coturn.CoturnConfigRenderer.ProblemWithSharedSecret"/>.
    /// </summary>
    public static SecretValueRule CoturnValue { get; } =
        new("*[!!-~]*|*'\"'*", "it may hold only printable ASCII without blanks, line breaks or '\"'", 256);

    /// <summary>Anything but nothing: for values that only travel in an environment variable.</summary>
    public static SecretValueRule NotEmpty { get; } = new("", "it must not be empty");
}
