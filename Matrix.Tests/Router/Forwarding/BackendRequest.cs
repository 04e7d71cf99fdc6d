namespace Matrix.Tests.Router.Forwarding;

/// <summary>One request as <see cref="ScriptedBackend"/> parsed it: head, body, which connection (0, 1, ... in accept order) and its place on it.</summary>
public sealed record BackendRequest(WireHead Head, WireBody Body, int Connection, int Sequence);
