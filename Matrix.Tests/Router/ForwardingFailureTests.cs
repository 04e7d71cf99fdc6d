using System.Net.Http;
using System.Net.Sockets;
using Matrix.Router.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Matrix.Tests.Router;

/// <summary>
/// How a forwarding error is classified for retry and passive health. The exceptions are the shapes SocketsHttpHandler
/// and YARP produce (built here: which one a real timeout leaves depends on a race between the router's abort and the
/// pending read, which is how the forwarding suite's never-answering backend once got 503 instead of 504 under load).
/// </summary>
public sealed class ForwardingFailureTests
{
    public static TheoryData<string> AbortErrors => new() { nameof(SocketError.ConnectionAborted), nameof(SocketError.ConnectionReset), nameof(SocketError.Shutdown) };

    [Theory]
    [MemberData(nameof(AbortErrors))]
    public void ATimedOutRequestIsNeitherRetriedNorATransportFailureWhateverSocketErrorTheAbortLeft(string socketError)
    {
        var aborted = new OperationCanceledException("timed out", new IOException("aborted", new SocketException((int)Enum.Parse<SocketError>(socketError))));

        Assert.Equal(ForwardingFailureKind.Other, ForwardingFailure.Classify(ForwarderError.RequestTimedOut, aborted));
    }

    [Theory]
    [MemberData(nameof(AbortErrors))]
    public void AConnectionTheInstanceBrokeIsAReset(string socketError)
    {
        var broken = new HttpRequestException("broken", new IOException("broken", new SocketException((int)Enum.Parse<SocketError>(socketError))));

        Assert.Equal(ForwardingFailureKind.ConnectionReset, ForwardingFailure.Classify(ForwarderError.Request, broken));
    }

    [Fact]
    public void AConnectTimeoutStaysAConnectFailureThatMayGoElsewhere()
    {
        var connectTimeout = new TaskCanceledException("connect", new TimeoutException());

        Assert.Equal(ForwardingFailureKind.ConnectFailed, ForwardingFailure.Classify(ForwarderError.RequestTimedOut, connectTimeout));
    }
}
