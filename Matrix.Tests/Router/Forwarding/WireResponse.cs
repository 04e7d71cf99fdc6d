namespace Matrix.Tests.Router.Forwarding;

/// <summary>An answer as a client read it off the wire: the interim (1xx) heads, the final head, and the body.</summary>
public sealed record WireResponse(IReadOnlyList<WireHead> Interim, WireHead Head, WireBody Body)
{
    public override string ToString() => $"{string.Join(" | ", Interim)} {Head} [{Body.Framing}, {(Body.Complete ? "complete" : "cut short")}] {Body.Text}";
}
