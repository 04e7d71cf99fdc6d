namespace Matrix.Stack.Synapse;

/// <summary>The server could not be reached or refused the registration; the message says which and what to do.</summary>
public sealed class RegistrationFailedException(string message) : Exception(message);
