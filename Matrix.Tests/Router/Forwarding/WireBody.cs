namespace Matrix.Tests.Router.Forwarding;

/// <summary>
/// A message body as read off the wire: its bytes, the framing it came in (<c>none</c>, <c>length</c>, <c>chunked</c>,
/// <c>eof</c>), the trailer lines of a chunked body, and whether the framing said it ended (a body cut short by a
/// close or a reset is not complete).
/// </summary>
public sealed record WireBody(byte[] Bytes, string Framing, IReadOnlyList<string> Trailers, bool Complete)
{
    public string Text => System.Text.Encoding.Latin1.GetString(Bytes);

    public static WireBody None { get; } = new([], "none", [], true);
}
